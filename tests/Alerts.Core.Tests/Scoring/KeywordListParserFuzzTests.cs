using System.Diagnostics;
using Alerts.Core.Scoring;
using CsCheck;
using Xunit.Abstractions;

namespace Alerts.Core.Tests.Scoring;

/// <summary>
/// Fuzzing the keyword-list parser for a bounded time with documents made of its own directives, mangled: it never
/// throws, every error points inside the document (line and column), a document it accepts compiles and scores.
/// </summary>
public sealed class KeywordListParserFuzzTests(ITestOutputHelper output)
{
    private static readonly Gen<string> Word = Gen.OneOf(
        Gen.OneOf("curfew", "state of emergency", "couvre feu", "toque de queda", "fired*", "*", "|", ";", "unless", "troops ; border", "", " ", "é", "\t", "#", "::", "-1", "1e999", "NaN", "0"),
        Gen.String[0, 20]);

    private static readonly Gen<string> Line = Gen.Frequency(
        (1, Gen.Select(Word, w => "list: " + w)),
        (1, Gen.Select(Gen.Int[-5, 50], Gen.Int[-5, 50], Gen.Int[-5, 50], (a, b, c) => $"thresholds: watch {a}, warning {b}, critical {c}")),
        (1, Gen.Select(Word, w => "combine: " + w)),
        (2, Gen.Select(Word, w => "signal: " + w)),
        (1, Gen.Select(Word, w => "  label: " + w)),
        (1, Gen.Select(Gen.Double[-10, 20], w => "  weight: " + w.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        (3, Gen.Select(Word.Array[0, 4], w => "  phrase: " + string.Join(" | ", w))),
        (2, Gen.Select(Gen.Int[-2, 40], Word, Word, (n, l, r) => $"  near {n}: {l} ; {r}")),
        (1, Gen.Select(Gen.Int[-2, 40], Word, Word, (n, l, r) => $"  near {n} across-sentences: {l} ; {r} unless {l}")),
        (2, Gen.Select(Gen.Int[-2, 10_000], Word, (n, w) => $"  quantity {n}: {w}")),
        (1, Gen.Select(Word, w => "  exclude: " + w)),
        (1, Gen.Select(Word, w => "  reverse: " + w)),
        (1, Gen.Select(Word, w => "  languages: " + w)),
        (1, Gen.Select(Word, w => "  title-boost: " + w)),
        (1, Gen.Select(Word, w => "negation: " + w)),
        (1, Gen.Select(Word, w => "framing: " + w)),
        (1, Word),
        (1, Gen.Select(Gen.Int[100, 5000], n => "  phrase: " + new string('x', n))));

    /// <summary>A well-formed signal, so that a share of the documents is accepted and goes on to compile and score.</summary>
    private static readonly Gen<string> Signal = Gen.Select(
        Gen.OneOf("curfew", "fired", "troops", "state of emergency", "protest*", "couvre feu"),
        Gen.Int[1, 9],
        Gen.Int[0, 3],
        (term, weight, kind) => $"signal: s{weight}{kind}\n  label: S\n  weight: {weight}\n" + kind switch
        {
            0 => $"  phrase: {term}",
            1 => $"  near {weight}: {term} ; border",
            2 => $"  quantity {weight * 10}: {term}",
            _ => $"  phrase: {term}\n  exclude: drill\n  reverse: lifted",
        });

    private static readonly Gen<string> Documents = Gen.Frequency(
        (3, Gen.Select(Line.Array[0, 30], Gen.Bool, (lines, crlf) => string.Join(crlf ? "\r\n" : "\n", ["list: fuzz", "thresholds: watch 2, warning 4, critical 12", .. lines]))),
        (1, Gen.Select(Signal.Array[1, 6], signals => string.Join("\n", ["list: fuzz", "thresholds: watch 2, warning 4, critical 12", .. signals.Distinct()]))));

    [Fact]
    public void TryParse_AnyDocument_NeverThrows_ErrorsPointInside_AcceptedListsScore()
    {
        var runs = 0;
        var accepted = 0;
        Documents.Sample(document =>
        {
            var watch = Stopwatch.StartNew();
            var (definition, errors) = KeywordListParser.TryParse(document);
            var lines = document.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
            foreach (var error in errors)
            {
                Assert.InRange(error.Line, 1, lines.Length);
                Assert.InRange(error.Column, 1, lines[error.Line - 1].Length + 1);
                Assert.False(string.IsNullOrWhiteSpace(error.Message));
            }

            if (definition is not null)
            {
                Assert.Empty(errors);
                var compiled = CompiledKeywordLists.Compile(definition);
                _ = KeywordScorer.Score(compiled, "Curfew declared as troops fired on protesters", "Soldiers fired at 300 people near the border; the state of emergency was not lifted.");
                Interlocked.Increment(ref accepted);
            }

            Interlocked.Increment(ref runs);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"one document took {watch.Elapsed}");
        }, iter: 1_000_000, time: 6, threads: 2);

        output.WriteLine($"{runs} keyword lists fuzzed in 6 s: {accepted} accepted and scored, {runs - accepted} refused with located errors");
        Assert.True(runs > 1_000, $"only {runs} documents");
    }
}
