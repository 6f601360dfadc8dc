using Alerts.Core.Scoring;

namespace Alerts.Core.Tests.Scoring;

public class KeywordListParserTests
{
    private const string Valid = """
        # A small list
        list: test-list
        description: For tests
        version: 3
        thresholds: watch 1, warning 3, critical 8
        combine: 0.5
        framing: rehearsal

        signal: curfew
          label: Curfew
          weight: 3
          languages: en fr
          title-boost: 2
          phrase: curfew | couvre-feu
          near 4: impos* | declar* ; curfew unless teen*
          quantity >= 10: arrest*
          exclude: airport
          reverse: lifted
        """;

    [Fact]
    public void Parse_ValidList_ReadsEveryField()
    {
        var list = KeywordListParser.Parse(Valid);

        Assert.Equal("test-list", list.Name);
        Assert.Equal("For tests", list.Description);
        Assert.Equal(3, list.Version);
        Assert.Equal(new SeverityThresholds(1, 3, 8), list.Thresholds);
        Assert.Equal(0.5, list.Combine);
        Assert.Equal("rehearsal", Assert.Single(list.Framing).Text);
        var signal = Assert.Single(list.Signals);
        Assert.Equal(("curfew", "Curfew", 3.0, 2.0), (signal.Id, signal.Label, signal.Weight, signal.TitleBoost));
        Assert.Equal(["en", "fr"], signal.Languages);
        Assert.Equal(3, signal.Rules.Count);
        var phrase = Assert.IsType<PhraseRule>(signal.Rules[0]);
        Assert.Equal([new TokenSpec("couvre", false), new TokenSpec("feu", false)], phrase.Alternatives[1].Tokens);
        var near = Assert.IsType<NearRule>(signal.Rules[1]);
        Assert.Equal(4, near.Distance);
        Assert.Equal(new TokenSpec("impos", true), near.Left[0].Tokens[0]);
        Assert.Equal("teen*", Assert.Single(near.Unless).Text);
        Assert.Equal(10, Assert.IsType<QuantityRule>(signal.Rules[2]).Minimum);
        Assert.Equal("airport", Assert.Single(signal.Excludes).Text);
        Assert.Equal("lifted", Assert.Single(signal.Reverses).Text);
    }

    [Fact]
    public void Parse_NormalizesAccentsCaseAndApostrophes()
    {
        var list = KeywordListParser.Parse("list: l\nthresholds: watch 1, warning 2, critical 3\nsignal: s\n  label: S\n  weight: 1\n  phrase: État D’Urgence\n");

        var tokens = Assert.IsType<PhraseRule>(list.Signals[0].Rules[0]).Alternatives[0].Tokens.Select(t => t.Text);
        Assert.Equal(["etat", "d", "urgence"], tokens);
    }

    [Theory]
    [InlineData("  label: x", 1, 3, "belongs to no signal")]
    [InlineData("colour: red", 1, 1, "Unknown field 'colour'")]
    [InlineData("version: two", 1, 10, "whole number")]
    [InlineData("thresholds: watch 1, warning 0.5, critical 3", 1, 13, "must rise")]
    [InlineData("thresholds: watch 1, warning 2, fatal 3", 1, 33, "Unknown severity 'fatal'")]
    [InlineData("thresholds: watch 1, warning 2", 1, 13, "all three")]
    [InlineData("combine: 9", 1, 10, "combine")]
    public void TryParse_TopLevelErrors_HaveLineAndColumn(string line, int expectedLine, int expectedColumn, string message)
    {
        var (definition, errors) = KeywordListParser.TryParse(line);

        Assert.Null(definition);
        Assert.Contains(errors, e => e.Line == expectedLine && e.Column == expectedColumn && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("  weight: 0", 5, 11, "weight must be")]
    [InlineData("  weight: 250", 5, 11, "weight must be")]
    [InlineData("  phrase: curfew | | coup", 5, 20, "Empty phrase")]
    [InlineData("  phrase: ", 5, 11, "Empty phrase")]
    [InlineData("  phrase: cur(few)", 5, 14, "Unsupported character '('")]
    [InlineData("  phrase: *few", 5, 11, "may only end a word")]
    [InlineData("  phrase: su*", 5, 11, "at least 3 letters")]
    [InlineData("  near: a ; b", 5, 3, "Bad proximity")]
    [InlineData("  near 0: a ; b", 5, 3, "Bad proximity")]
    [InlineData("  near 99: a ; b", 5, 3, "Bad proximity")]
    [InlineData("  near 3: a b c", 5, 11, "separate the two sides")]
    [InlineData("  near 3: a ; ", 5, 14, "Empty phrase")]
    [InlineData("  quantity > 5: killed", 5, 3, "Bad quantity")]
    [InlineData("  languages: en xx", 5, 17, "Unknown language 'xx'")]
    [InlineData("  colour: red", 5, 3, "Unknown signal field 'colour'")]
    [InlineData("  title-boost: 9", 5, 16, "title-boost")]
    [InlineData("  frobnicate", 5, 3, "Expected 'field: value'")]
    [InlineData("  decisive label: x", 5, 3, "Only a rule can be decisive")]
    [InlineData("  decisive decisive phrase: x", 5, 12, "'decisive' is written once")]
    [InlineData("  decisive near 0: a ; b", 5, 12, "Bad proximity")]
    [InlineData("  decisive phrase: su*", 5, 20, "at least 3 letters")]
    [InlineData("  exclude article: ", 5, 20, "Empty phrase")]
    public void TryParse_SignalErrors_HaveLineAndColumn(string line, int expectedLine, int expectedColumn, string message)
    {
        var text = $"list: l\nthresholds: watch 1, warning 2, critical 3\nsignal: s\n  label: S\n{line}\n  weight: 1\n  phrase: x\n";

        var (_, errors) = KeywordListParser.TryParse(text);

        Assert.Contains(errors, e => e.Line == expectedLine && e.Column == expectedColumn && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_DecisiveRulesAndArticleExclusions()
    {
        var list = KeywordListParser.Parse("""
            list: l
            thresholds: watch 1, warning 2, critical 3
            signal: m
              label: Martial law
              weight: 4
              phrase: martial law
              decisive near 3: declared ; martial law
              decisive phrase: military rule
              exclude article: film | hurricane
            """);

        var signal = Assert.Single(list.Signals);
        Assert.Equal([false, true, true], signal.Rules.Select(r => r.Decisive));
        Assert.IsType<NearRule>(signal.Rules[1]);
        Assert.Equal(["film", "hurricane"], signal.ArticleExcludes.Select(p => p.Text));
    }

    [Fact]
    public void TryParse_ManyErrors_ReportsEveryOneInOrder()
    {
        const string text = """
            list: l
            thresholds: watch 1, warning 2, critical 3
            signal: a
              label: A
              weight: 1
              phrase: x
            signal: a
              label: A again
              weight: -1
              phrase: y |
            signal: b
              label: B
            """;

        var (definition, errors) = KeywordListParser.TryParse(text);

        Assert.Null(definition);
        Assert.Equal(
            ["7:9: Duplicate signal id 'a'.", "9:11: weight must be a number greater than 0 and at most 100.", "10:14: Empty phrase.", "11:1: Signal 'b' needs a weight.", "11:1: Signal 'b' has no match rules: add phrase, near or quantity lines."],
            errors.Select(e => e.ToString()));
    }

    [Fact]
    public void TryParse_MissingEssentials_AreReported()
    {
        var (_, errors) = KeywordListParser.TryParse("# nothing here\n");

        Assert.Contains(errors, e => e.Message.Contains("needs a name", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Message.Contains("needs thresholds", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Message.Contains("no signals", StringComparison.Ordinal));
    }

    [Fact]
    public void TryParse_ThresholdsGivenButNotRising_SaysThat_NotThatThereAreNone()
    {
        var (_, errors) = KeywordListParser.TryParse("list: a\nthresholds: watch 2, warning 14, critical 12\nsignal: x\n  label: X\n  weight: 4\n  phrase: x\n");

        var error = Assert.Single(errors);
        Assert.Equal((2, "Thresholds must rise: watch < warning < critical."), (error.Line, error.Message));
    }

    [Fact]
    public void Parse_Invalid_ThrowsWithAllErrors()
    {
        var ex = Assert.Throws<KeywordListException>(() => KeywordListParser.Parse("list: x\n"));

        Assert.Equal(2, ex.Errors.Count);
    }

    [Fact]
    public void DefaultLists_AreValid()
    {
        Assert.NotEmpty(DefaultKeywordLists.All);
        foreach (var (name, text) in DefaultKeywordLists.All)
        {
            var (definition, errors) = KeywordListParser.TryParse(text);
            Assert.Empty(errors);
            Assert.Equal(name, definition!.Name);
        }

        var ids = DefaultKeywordLists.Compiled.Definitions.SelectMany(d => d.Signals).Select(s => s.Id).ToHashSet();
        Assert.Superset(new HashSet<string> { "state-of-emergency", "martial-law", "curfew", "internet-shutdown", "foreign-troops", "live-fire", "fatalities", "mass-arrests", "coup" }, ids);
        Assert.All(DefaultKeywordLists.Compiled.Definitions.SelectMany(d => d.Signals), s => Assert.Equal(["en", "fr", "es", "pt", "de", "it", "tr", "ru", "uk", "ar", "fa"], s.Languages));
    }
}
