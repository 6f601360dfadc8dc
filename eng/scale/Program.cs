// Generates a feed set for the pipeline's scale runs: FEEDS RSS files of ITEMS/FEEDS items each and a feeds.opml.
//   dotnet run -c Release --project eng/scale -- DIR ARTICLES [FEEDS] [--seed N]
// Ordinary items draw their words from a 40,000-word vocabulary with Zipf-distributed frequencies (s = 1.05, as word
// frequencies in news are); 3% are crisis reports (curfews, emergencies, live fire, deaths, arrests, shutdowns, coups,
// troops) about one of 40 countries, each event told by up to three feeds in different words; a fifth of ordinary
// items name a country. Publication times are spread over the 72 hours before the generation time.
using System.Globalization;
using System.Security;
using System.Text;

if (args.Length < 2 || !int.TryParse(args[1], out var articles) || articles <= 0)
{
    Console.Error.WriteLine("usage: scale DIR ARTICLES [FEEDS] [--seed N]");
    return 1;
}

var dir = Path.GetFullPath(args[0]);
var feeds = args.Length > 2 && int.TryParse(args[2], out var f) ? f : Math.Clamp(articles / 250, 20, 2000);
var seed = args.SkipWhile(a => a != "--seed").Skip(1).Select(int.Parse).FirstOrDefault(11);
var random = new Random(seed);
Directory.CreateDirectory(Path.Combine(dir, "feeds"));

var vocabulary = Vocabulary(random, 40_000);
var cumulative = new double[vocabulary.Length];
var total = 0.0;
for (var r = 0; r < vocabulary.Length; r++)
{
    total += 1.0 / Math.Pow(r + 1, 1.05);
    cumulative[r] = total;
}

string Word()
{
    var i = Array.BinarySearch(cumulative, random.NextDouble() * total);
    return vocabulary[Math.Min(vocabulary.Length - 1, i >= 0 ? i : ~i)];
}

string Words(int n) => string.Join(' ', Enumerable.Range(0, n).Select(_ => Word()));

string[] countries = ["Mali", "Sudan", "Kenya", "Peru", "Myanmar", "Bangladesh", "Kazakhstan", "Georgia", "Bolivia", "Niger",
    "Chad", "Ecuador", "Haiti", "Iran", "Iraq", "Syria", "Lebanon", "Ethiopia", "Somalia", "Nigeria", "Senegal", "Guinea",
    "Togo", "Cameroon", "Uganda", "Tanzania", "Mozambique", "Zimbabwe", "Venezuela", "Colombia", "Honduras", "Nicaragua",
    "Serbia", "Armenia", "Azerbaijan", "Kyrgyzstan", "Tajikistan", "Pakistan", "Sri Lanka", "Nepal"];
string[][] tellings =
[
    ["{0} imposes a nationwide curfew after protests", "Authorities in {0} declared a curfew from 8pm to 6am in the capital after a week of protests. Soldiers patrolled the main avenues."],
    ["State of emergency declared in {0}", "The government of {0} declared a state of emergency on Tuesday, suspending public gatherings for thirty days."],
    ["Security forces open fire on protesters in {0}", "Police in {0} opened fire on demonstrators with live ammunition, killing at least {1} people, witnesses said."],
    ["Internet shut down across {0}", "Mobile internet was cut nationwide in {0} as the authorities blocked social media ahead of the vote."],
    ["Hundreds arrested in {0} crackdown", "More than {2} opposition supporters were detained overnight in {0}, rights groups said, in a wave of mass arrests."],
    ["Military seizes power in {0}", "Soldiers announced on state television that the army had seized power in {0} and dissolved the government in a coup."],
    ["Foreign troops cross into {0}", "Foreign troops crossed the border into {0} on Monday, the defence ministry said, as fighting spread to the north."],
    ["{1} killed as violence spreads in {0}", "At least {1} people were killed in clashes in {0}, hospital officials said, and dozens were wounded."],
];

var crisisEvery = 100.0 / 3.0;
var perFeed = (articles + feeds - 1) / feeds;
var now = DateTimeOffset.UtcNow;
var opml = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<opml version=\"2.0\"><head><title>Scale run</title></head><body>\n");
var written = 0;
var crisis = 0;
var events = new List<(int Country, int Telling, int Dead, int Arrested)>();
for (var feed = 0; feed < feeds && written < articles; feed++)
{
    var name = $"feed{feed:D4}.xml";
    opml.Append(CultureInfo.InvariantCulture, $"<outline type=\"rss\" text=\"Feed {feed}\" xmlUrl=\"feeds/{name}\"/>\n");
    using var file = new StreamWriter(Path.Combine(dir, "feeds", name), false, new UTF8Encoding(false), 1 << 16);
    file.Write($"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel><title>Feed {feed}</title><link>https://feed{feed}.example/</link><language>en</language>\n");
    for (var i = 0; i < perFeed && written < articles; i++, written++)
    {
        string title, body;
        if (random.NextDouble() * crisisEvery < 1)
        {
            // An event told by up to three feeds: a new one, or one of the latest told again in other words.
            crisis++;
            if (events.Count == 0 || random.Next(3) == 0)
            {
                events.Add((random.Next(countries.Length), random.Next(tellings.Length), 3 + random.Next(40), 50 + random.Next(500)));
            }

            var e = events[Math.Max(0, events.Count - 1 - random.Next(Math.Min(events.Count, 3)))];
            var t = tellings[e.Telling];
            title = string.Format(CultureInfo.InvariantCulture, t[0], countries[e.Country], e.Dead, e.Arrested);
            body = string.Format(CultureInfo.InvariantCulture, t[1], countries[e.Country], e.Dead, e.Arrested) + " " + Words(40 + random.Next(60)) + ".";
        }
        else
        {
            title = Capitalized(Words(6 + random.Next(6)));
            body = Capitalized(Words(60 + random.Next(120))) + (random.Next(5) == 0 ? $" in {countries[random.Next(countries.Length)]}." : ".");
        }

        var published = now.AddSeconds(-random.Next(72 * 3600));
        file.Write($"<item><title>{SecurityElement.Escape(title)}</title><link>https://feed{feed}.example/{i}</link><guid isPermaLink=\"false\">gen-{seed}-{feed}-{i}</guid><pubDate>{published.ToString("r", CultureInfo.InvariantCulture)}</pubDate><description>{SecurityElement.Escape(body)}</description></item>\n");
    }

    file.Write("</channel></rss>\n");
}

opml.Append("</body></opml>\n");
File.WriteAllText(Path.Combine(dir, "feeds.opml"), opml.ToString());
Console.WriteLine($"{written} articles ({crisis} crisis reports about {events.Count} events) in {feeds} feeds under {dir}");
return 0;

static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

static string[] Vocabulary(Random random, int size)
{
    string[] onsets = ["b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "br", "cl", "dr", "gr", "pl", "st", "tr", "sh", "ch"];
    string[] vowels = ["a", "e", "i", "o", "u", "ai", "ea", "ou", "io"];
    string[] codas = ["", "", "n", "r", "s", "t", "l", "nd", "st", "m"];
    var words = new HashSet<string>(StringComparer.Ordinal);
    while (words.Count < size)
    {
        var syllables = 1 + random.Next(words.Count < 200 ? 1 : 3);
        var word = new StringBuilder();
        for (var s = 0; s < syllables; s++)
        {
            word.Append(onsets[random.Next(onsets.Length)]).Append(vowels[random.Next(vowels.Length)]).Append(codas[random.Next(codas.Length)]);
        }

        words.Add(word.ToString());
    }

    return [.. words];
}
