// Counts what the story index asks of Azure Table storage as one country's window fills: the requests of a story lookup
// and of a new story, with 1,000, 10,000 and 100,000 stories of one country open (all in one partition: the worst
// case), through a proxy in front of Azurite (the real emulator; the requests are those the real SDK sends). Stories are
// generated with skewed vocabulary (NewsCorpus).
//   dotnet run -c Release --project eng/requests -- [SIZES...]                 seeded through the API, one Azurite
//   dotnet run -c Release --project eng/requests -- --bulk [--cap N] [--probes N] [SIZES...]
//                                                                             loaded in bulk, a fresh Azurite per size
// Through the API, the stories are seeded by a TableStoryStore without the proxy, as the service would write them.
// Azurite checks every insert against a scan of its partition, so that takes hours at 100,000; --bulk writes the same
// rows (TableStoryStore.IndexRows, merged per row) straight into Azurite's store (bulk-azurite.js) and measures through
// its API as before. --cap is the most stories a band row holds: the Table service refuses a property past its limit of
// 252 (the default), Azurite has none (--cap 0: none, as the API seeding writes them). The stories, probes and new
// stories are the same in both modes (one sequence from the generator).
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Alerts.Core.Stories;
using Alerts.Infrastructure.Storage;
using Alerts.Testing;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

var bulk = args.Contains("--bulk");
var capAt = Array.IndexOf(args, "--cap");
var cap = capAt >= 0 ? int.Parse(args[capAt + 1], CultureInfo.InvariantCulture) : 252;
var probesAt = Array.IndexOf(args, "--probes");
var probes = probesAt >= 0 ? int.Parse(args[probesAt + 1], CultureInfo.InvariantCulture) : 20;
int[] sizes = [.. args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (capAt < 0 || i != capAt + 1) && (probesAt < 0 || i != probesAt + 1)).Select(a => int.Parse(a, CultureInfo.InvariantCulture))];
sizes = sizes.Length > 0 ? sizes : [1_000, 10_000, 100_000];

var corpus = new NewsCorpus(5);
var now = DateTimeOffset.UtcNow;
var window = StoryClusterer.Window - TimeSpan.FromMinutes(5);
var stories = new List<Story>(); // the keys are the signature's: made again when needed (a million stories' keys take 2 GB)
Console.WriteLine(bulk ? $"loaded in bulk, at most {(cap > 0 ? cap : "any number of")} stories per band row" : "seeded through the API");
Console.WriteLine("stories   lookup_requests  lookup_ms  stories_compared  new_story_requests  seed_s  rows");
await using var shared = bulk ? null : await Emulator.StartApiAsync();
foreach (var size in sizes)
{
    // The same sequence in both modes: this size's new stories, spread over the window, newest last; then the probes.
    var generated = stories.Count(s => s.Id[0] == 's');
    foreach (var i in Enumerable.Range(generated, size - generated))
    {
        var report = corpus.Next();
        var signature = StorySignature.Of(report.Title, report.Lead, report.Signals);
        var firstSeen = now - (window * ((double)(size - i) / size));
        stories.Add(new Story { Id = $"s{i:D7}", FirstArticleId = $"a{i:D7}", Title = report.Title, FirstSeen = firstSeen, LastSeen = firstSeen, Countries = ["PE"], Signature = signature.ToBytes() });
    }

    await using var fresh = bulk ? await Emulator.StartBulkAsync() : null;
    var emulator = fresh ?? shared!;
    var seed = Stopwatch.StartNew();
    var rows = await emulator.SeedAsync(stories, cap, "PE~" + (now.UtcTicks / StoryClusterer.Window.Ticks).ToString(CultureInfo.InvariantCulture));
    seed.Stop();

    var measured = new TableStoryStore(emulator.Counted, TimeProvider.System);
    var clusterer = new StoryClusterer(measured);
    await measured.FindCandidatesAsync(new StoryKeys("PE", []), 1, now, default); // tables made once per instance, not per lookup
    var before = emulator.Requests;
    var compared = 0;
    var timer = Stopwatch.StartNew();
    for (var i = 0; i < probes; i++)
    {
        var report = corpus.Next();
        var signature = StorySignature.Of(report.Title, report.Lead, report.Signals);
        var one = emulator.Requests;
        var found = await measured.FindCandidatesAsync(new StoryKeys("PE", signature.BandKeys("PE")), StoryClusterer.MaxRecent, now - StoryClusterer.Window, default);
        compared += found.Sketches.Count;
        await clusterer.FindAsync(new StoryArticle($"p{size}-{i}", report.Title, report.Lead, null, "f", now, ["PE"], Alerts.Core.Scoring.Severity.None, report.Signals), default);
        if (emulator.Requests - one > 8)
        {
            Console.Error.WriteLine($"probe {i}: {emulator.Requests - one} requests for two lookups: {string.Join(" | ", emulator.Seen.TakeLast((int)(emulator.Requests - one)))}");
        }
    }

    timer.Stop();
    var lookups = (emulator.Requests - before) / (2.0 * probes);

    var created = size >= 1_000_000 ? 1 : 5; // each new story's batch makes Azurite scan the partition once per row
    before = emulator.Requests;
    for (var i = 0; i < created; i++)
    {
        var report = corpus.Next();
        var signature = StorySignature.Of(report.Title, report.Lead, report.Signals);
        var story = new Story { Id = $"n{size}x{i}", FirstArticleId = $"n{size}x{i}", Title = report.Title, FirstSeen = now, LastSeen = now, Countries = ["PE"], Signature = signature.ToBytes() };
        var keys = new StoryKeys("PE", signature.BandKeys("PE"));
        await measured.TryCreateAsync(story, keys, null, default);
        stories.Add(story); // in the window of the next size too
    }

    var creation = (emulator.Requests - before) / (double)created;
    Console.Error.WriteLine($"{size}: {string.Join(", ", emulator.Counts)}");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{size,-9} {lookups,15:0.00} {timer.Elapsed.TotalMilliseconds / (2 * probes),10:0.0} {compared / (double)probes,17:0.0} {creation,19:0.0} {seed.Elapsed.TotalSeconds,7:0} {rows,9}"));
}

/// <summary>Azurite with a counting proxy in front: the whole emulator seeded through its API, or its Table service loaded in bulk.</summary>
internal sealed class Emulator : IAsyncDisposable
{
    private readonly IAsyncDisposable _server;
    private readonly FaultyStorageProxy _proxy;
    private readonly StorageClients _direct;
    private readonly Func<string, string, Task<int>>? _load;
    private int _seeded;

    private Emulator(IAsyncDisposable server, FaultyStorageProxy proxy, StorageClients direct, StorageClients counted, Func<string, string, Task<int>>? load)
    {
        (_server, _proxy, _direct, Counted, _load) = (server, proxy, direct, counted, load);
    }

    /// <summary>Clients whose requests are counted.</summary>
    public StorageClients Counted { get; }

    public long Requests => _proxy.Counts.GetValueOrDefault("requests");

    public IEnumerable<KeyValuePair<string, int>> Counts => _proxy.Counts;

    /// <summary>The requests counted, as method and path.</summary>
    public IEnumerable<string> Seen => _proxy.Requests;

    public static async Task<Emulator> StartApiAsync()
    {
        var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        return await WithProxyAsync(new Disposing(azurite.DisposeAsync), azurite.ConnectionString, null);
    }

    public static async Task<Emulator> StartBulkAsync()
    {
        var port = FreePort();
        var node = Process.Start(new ProcessStartInfo("node")
        {
            ArgumentList = { "--max-old-space-size=20480", Path.Combine(RepositoryPaths.Root, "eng", "requests", "bulk-azurite.js"), Path.Combine(RepositoryPaths.Root, "node_modules", "azurite"), port.ToString(CultureInfo.InvariantCulture) },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("Could not start node.");
        if (await node.StandardOutput.ReadLineAsync() != "ready")
        {
            throw new InvalidOperationException("bulk-azurite.js did not start.");
        }

        const string Account = "devstoreaccount1";
        var connection = $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:{port}/{Account};";
        async Task<int> LoadAsync(string file, string table)
        {
            await node.StandardInput.WriteLineAsync($"load {file} {Account} {table}");
            var answer = await node.StandardOutput.ReadLineAsync() ?? "";
            return answer.StartsWith("loaded ", StringComparison.Ordinal) ? int.Parse(answer[7..], CultureInfo.InvariantCulture) : throw new InvalidOperationException(answer);
        }

        return await WithProxyAsync(new Disposing(async () =>
        {
            node.StandardInput.Close();
            if (!node.WaitForExit(10_000))
            {
                node.Kill();
            }
        }), connection, LoadAsync);
    }

    private static async Task<Emulator> WithProxyAsync(IAsyncDisposable server, string connection, Func<string, string, Task<int>>? load)
    {
        var proxy = await FaultyStorageProxy.StartAsync(connection, seed: 1, rate: 0);
        var counted = AzuriteFixture.CreateClients(proxy.ConnectionString, out var names);
        var direct = new StorageClients(new ConfigurationBuilder().AddInMemoryCollection([new("AzureWebJobsStorage", connection)]).Build(), Options.Create(names));
        return new Emulator(server, proxy, direct, counted, load);
    }

    /// <summary>
    /// Writes the stories not written yet, as a TableStoryStore would; the number of index rows written. In bulk, only
    /// the rows of <paramref name="partition"/>, the one the lookups read (the others change no request count).
    /// </summary>
    public async Task<long> SeedAsync(IReadOnlyList<Story> stories, int cap, string partition)
    {
        var added = stories.Skip(_seeded).ToList();
        _seeded = stories.Count;
        if (_load is null)
        {
            var seeding = new TableStoryStore(_direct, TimeProvider.System);
            await Parallel.ForEachAsync(added.Where(s => s.Id[0] == 's'), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (story, ct) => await seeding.TryCreateAsync(story, StoryKeys.Of(story), null, ct));
            return added.Count * 66L;
        }

        // The rows the store's batches would leave: the sketches as they come; band postings merged per row, at most `cap`
        // a row (the service refuses more, and the store then leaves that row out), kept compactly (a million stories
        // make tens of millions of postings); the partition's head.
        var path = Path.Combine(Path.GetTempPath(), $"alerts-bulk-{Guid.NewGuid():N}.jsonl");
        try
        {
            var rowOf = new Dictionary<string, int>(StringComparer.Ordinal);
            var first = new List<int>();
            var last = new List<int>();
            var held = new List<int>();
            var postingStory = new List<int>();
            var postingNext = new List<int>();
            var names = new string[added.Count];
            long written = 0;
            await using (var file = File.CreateText(path))
            {
                for (var s = 0; s < added.Count; s++)
                {
                    foreach (var row in TableStoryStore.IndexRows(added[s], StoryKeys.Of(added[s])).Where(r => r.PartitionKey == partition))
                    {
                        if (row.RowKey[0] != 'b')
                        {
                            await file.WriteLineAsync(Line(row));
                            written++;
                            continue;
                        }

                        names[s] ??= row.Keys.Single(k => k is not "PartitionKey" and not "RowKey");
                        if (!rowOf.TryGetValue(row.RowKey, out var r))
                        {
                            rowOf[row.RowKey] = r = first.Count;
                            first.Add(-1);
                            last.Add(-1);
                            held.Add(0);
                        }

                        if (cap > 0 && held[r] >= cap)
                        {
                            continue;
                        }

                        postingStory.Add(s);
                        postingNext.Add(-1);
                        var posting = postingStory.Count - 1;
                        if (last[r] < 0)
                        {
                            first[r] = posting;
                        }
                        else
                        {
                            postingNext[last[r]] = posting;
                        }

                        last[r] = posting;
                        held[r]++;
                    }
                }

                foreach (var (key, r) in rowOf)
                {
                    var row = new TableEntity(partition, key);
                    for (var posting = first[r]; posting >= 0; posting = postingNext[posting])
                    {
                        row[names[postingStory[posting]]] = added[postingStory[posting]].FirstSeen.UtcTicks;
                    }

                    await file.WriteLineAsync(Line(row));
                    written++;
                }

                await file.WriteLineAsync(Line(new TableEntity(partition, "h") { ["Story"] = "bulk" }));
            }

            await _direct.Table(_direct.Options.StoryBandsTable).CreateIfNotExistsAsync();
            await _direct.Table(_direct.Options.StoriesTable).CreateIfNotExistsAsync();
            var loaded = await _load(path, _direct.Options.StoryBandsTable);
            return loaded == written + 1 ? loaded : throw new InvalidOperationException($"Wrote {written + 1} rows, Azurite loaded {loaded}.");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string Line(TableEntity row) => JsonSerializer.Serialize(new { row.PartitionKey, row.RowKey, properties = Annotated(row) });

    // The body the SDK sends for an entity: values with their @odata.type where JSON alone would lose the type.
    private static Dictionary<string, object> Annotated(TableEntity row)
    {
        var body = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (name, value) in row)
        {
            switch (value)
            {
                case null or Azure.ETag:
                    break;
                case string text:
                    body[name] = text;
                    break;
                case long number:
                    body[name] = number.ToString(CultureInfo.InvariantCulture);
                    body[name + "@odata.type"] = "Edm.Int64";
                    break;
                case DateTimeOffset time:
                    body[name] = time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
                    body[name + "@odata.type"] = "Edm.DateTime";
                    break;
                case byte[] bytes:
                    body[name] = Convert.ToBase64String(bytes);
                    body[name + "@odata.type"] = "Edm.Binary";
                    break;
                default:
                    throw new NotSupportedException($"A {value.GetType().Name} property ({name}) in a story index row.");
            }
        }

        return body;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _server.DisposeAsync();
    }

    private sealed class Disposing(Func<Task> dispose) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await dispose();
    }
}
