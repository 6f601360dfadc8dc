using Alerts.Core.Scoring;

namespace Alerts.Core.Tests.Scoring;

public class KeywordScorerTests
{
    private static CompiledKeywordLists List(string signals, string thresholds = "watch 1, warning 3, critical 8") =>
        CompiledKeywordLists.Compile(KeywordListParser.Parse($"list: t\nthresholds: {thresholds}\ncombine: 0.5\n{signals}"));

    private static readonly CompiledKeywordLists Curfew = List("""
        signal: curfew
          label: Curfew
          weight: 3
          phrase: curfew | couvre-feu | toque de queda
          exclude: teenagers
          reverse: lifted
        """);

    private static ScoreResult Score(CompiledKeywordLists lists, string content, string title = "") => KeywordScorer.Score(lists, title, content);

    [Theory]
    [InlineData("A CURFEW was declared.")]
    [InlineData("Un couvre‑feu a été décrété.")] // non-breaking hyphen
    [InlineData("Un couvre feu a été décrété.")]
    [InlineData("Se impuso el toque de queda.")]
    [InlineData("Se impuso el «toque de queda».")]
    public void Score_Phrase_IsInsensitiveToCaseAccentsHyphensAndQuotes(string content) =>
        Assert.Equal("curfew", Assert.Single(Score(Curfew, content).Signals).Id);

    [Fact]
    public void Score_ApostropheStyles_AllMatch()
    {
        var lists = List("signal: soe\n  label: S\n  weight: 3\n  phrase: état d'urgence\n");

        foreach (var text in new[] { "L'état d'urgence", "L’état d’urgence", "L'etat d`urgence", "l’ÉTAT D'URGENCE" })
        {
            Assert.Single(Score(lists, text).Signals);
        }
    }

    [Fact]
    public void Score_PrefixWildcard_MatchesInflections()
    {
        var lists = List("signal: s\n  label: S\n  weight: 3\n  phrase: suspend* internet\n");

        Assert.Single(Score(lists, "They suspended internet.").Signals);
        Assert.Single(Score(lists, "Suspending internet is illegal.").Signals);
        Assert.Empty(Score(lists, "They suspected internet fraud.").Signals);
    }

    [Theory]
    [InlineData(3, 10)]
    [InlineData(62, 64)]
    [InlineData(63, 63)]
    [InlineData(63, 64)]
    [InlineData(64, 64)]
    public void Score_PrefixOfAnyLength_MatchesLongerWords(int prefixLength, int wordLength)
    {
        var prefix = string.Concat(Enumerable.Range(0, prefixLength).Select(i => (char)('a' + (i % 26))));
        var word = prefix + string.Concat(Enumerable.Repeat("z", wordLength - prefixLength));
        var lists = List($"signal: s\n  label: S\n  weight: 3\n  phrase: {prefix}*\n");

        Assert.Single(Score(lists, $"They said {word} today.").Signals);
        Assert.Empty(Score(lists, $"They said {prefix[..^1]} today.").Signals);
    }

    [Theory]
    [InlineData("Troops were sent across the border.", true)]
    [InlineData("The border was crossed by troops yesterday.", true)]
    [InlineData("Troops gathered. Later, far away, the border was quiet.", false)]
    [InlineData("Troops gathered in the north of the capital city near the old river border.", false)]
    public void Score_Near_WithinDistanceEitherOrderSameSentence(string content, bool expected)
    {
        var lists = List("signal: s\n  label: S\n  weight: 3\n  near 4: troops ; border\n");

        Assert.Equal(expected, Score(lists, content).Signals.Count == 1);
    }

    [Fact]
    public void Score_Near_PairsEachSideWithItsNearestPartner_EvidenceShowsTheClosestPair()
    {
        var lists = List("signal: s\n  label: S\n  weight: 3\n  near 6: troops ; border\n");

        var result = Score(lists, "Border guards said troops reached the border at dawn.");

        var evidence = Assert.Single(Assert.Single(result.Signals).Evidence);
        Assert.Contains("troops reached the border", evidence.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_ManyMoreExclusionsAndReversalsThanWords_TriesThoseTheTextHas_InTheListsOrder()
    {
        // Many languages' exclusions and reversals, far more than the words of a short text: those anchored on its words
        // are found (looked up by anchor); the exclusion reported is the first listed ("drill", though "exercise" comes
        // first in the text) and the reversal the nearest, as when every one is tried.
        var others = string.Join(" | ", Enumerable.Range(0, 300).Select(i => "zz" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "word"));
        var lists = List($"signal: s\n  label: S\n  weight: 3\n  phrase: curfew\n  exclude: {others} | drill | exercise\n  reverse: {others} | lifted | ended\n");

        var excluded = Score(lists, "A curfew exercise and drill.");
        var reversed = Score(lists, "The curfew has ended and was lifted.");
        var counted = Score(lists, "A curfew was imposed.");

        Assert.Empty(excluded.Signals);
        Assert.StartsWith("excluded by 'drill'", Assert.Single(excluded.Cancelled).Reason, StringComparison.Ordinal);
        Assert.Empty(reversed.Signals);
        Assert.StartsWith("reversed by 'ended'", Assert.Single(reversed.Cancelled).Reason, StringComparison.Ordinal);
        Assert.Single(counted.Signals);
    }

    [Fact]
    public void Score_ManyMatchesAndCues_EachMatchJudgedByItsOwnSentence()
    {
        // Thousands of matches, negations and reversals in one text: each still judged by the cues near it only.
        var lists = List("signal: s\n  label: S\n  weight: 3\n  phrase: curfew\n  reverse: lifted\n  exclude: drill\n");
        var text = string.Concat(Enumerable.Repeat("The curfew was lifted. No curfew today. A curfew drill. ", 2_000)) + "A curfew was imposed.";

        var result = Score(lists, text);

        var match = Assert.Single(result.Signals);
        Assert.Contains(match.Evidence, e => e.Text.Contains("curfew was imposed", StringComparison.Ordinal));
        Assert.Contains(result.Cancelled, c => c.Reason.StartsWith("reversed by 'lifted'", StringComparison.Ordinal));
        Assert.Contains(result.Cancelled, c => c.Reason.StartsWith("negated by", StringComparison.Ordinal));
        Assert.Contains(result.Cancelled, c => c.Reason.StartsWith("excluded by 'drill'", StringComparison.Ordinal));
    }

    [Fact]
    public void Score_NearAcrossSentences_Widens()
    {
        var lists = List("signal: s\n  label: S\n  weight: 3\n  near 4 across-sentences: troops ; border\n");

        Assert.Single(Score(lists, "Troops gathered. The border closed.").Signals);
    }

    [Theory]
    [InlineData("At least 2,300 people were arrested.", true)]
    [InlineData("More than 500 were arrested.", true)]
    [InlineData("Hundreds of people were arrested.", true)]
    [InlineData("Police arrested dozens of students.", true)]
    [InlineData("Des centaines de personnes ont été arrêtées.", true)]
    [InlineData("Cientos de personas fueron arrestadas.", true)]
    [InlineData("Trescientos manifestantes fueron arrestados.", true)]
    [InlineData("Dix-huit personnes arrêtées hier.", false)] // 18 < 20
    [InlineData("Five people were arrested.", false)]
    [InlineData("He was arrested in 2019 after the vote.", false)] // a year, not a count
    [InlineData("He was arrested 30 days ago.", false)] // a duration
    [InlineData("Arrests rose by 40% this year.", false)] // a share
    public void Score_Quantity_ReadsDigitsAndNumberWords(string content, bool expected)
    {
        var lists = List("signal: arrests\n  label: A\n  weight: 3\n  quantity >= 20: arrest* | arretee* | arrestad*\n");

        Assert.Equal(expected, Score(lists, content).Signals.Count == 1);
    }

    [Theory]
    [InlineData("Police said no one was killed.", "negated by 'no one'")]
    [InlineData("No arrests were made.", "negated by 'No'")]
    [InlineData("Aucune arrestation n'a eu lieu.", "negated by 'Aucune'")]
    [InlineData("No hubo detenciones masivas.", "negated by 'No'")]
    public void Score_Negation_CancelsAndExplains(string content, string reason)
    {
        var lists = List("signal: s\n  label: S\n  weight: 3\n  phrase: killed | arrests | arrestation | detenciones masivas\n");

        var result = Score(lists, content);

        Assert.Empty(result.Signals);
        Assert.Equal(reason, Assert.Single(result.Cancelled).Reason);
    }

    [Fact]
    public void Score_NegationBeyondAComma_DoesNotCancel()
    {
        var lists = List("signal: s\n  label: S\n  weight: 3\n  phrase: opened fire\n");

        Assert.Single(Score(lists, "Without warning, soldiers opened fire.").Signals);
    }

    [Theory]
    [InlineData("The curfew was lifted on Monday.", "reversed by 'lifted'")]
    [InlineData("A curfew for teenagers was debated.", "excluded by 'teenagers'")]
    public void Score_ReversalAndExclusion_CancelAndExplain(string content, string reason)
    {
        var result = Score(Curfew, content);

        Assert.Empty(result.Signals);
        var cancelled = Assert.Single(result.Cancelled);
        Assert.Equal(("curfew", ArticleField.Content, reason), (cancelled.SignalId, cancelled.Field, cancelled.Reason));
        Assert.Equal(content, cancelled.Text);
    }

    [Fact]
    public void Score_Unless_CancelsOnlyThatRule()
    {
        var lists = List("signal: fire\n  label: F\n  weight: 3\n  near 3: fired ; protesters unless tear gas\n  phrase: live rounds\n");

        Assert.Empty(Score(lists, "Police fired tear gas at protesters.").Signals);
        Assert.Single(Score(lists, "Police fired tear gas and live rounds at protesters.").Signals);
    }

    [Fact]
    public void Score_TitleMatch_IsBoosted()
    {
        var inTitle = Score(Curfew, "Shops closed early as the curfew began.", title: "Curfew declared");
        var inContent = Score(Curfew, "A curfew was declared.");

        Assert.Equal(4.5, inTitle.Score);
        Assert.Equal(3, inContent.Score);
        Assert.Equal(ArticleField.Title, inTitle.Signals[0].Evidence[0].Field);
        Assert.Equal("Curfew declared", inTitle.Signals[0].Evidence[0].Text);
    }

    [Fact]
    public void Score_LongArticle_ReadInPieces_ScoresLikeOneText()
    {
        var filler = string.Concat(Enumerable.Repeat("The council met and the market opened higher in the morning.\n", 2_000)); // ~120 KB
        var late = Score(Curfew, filler + "A curfew was declared in the capital.");
        var framed = Score(Curfew, "This film review looks at a thriller. " + filler + "A curfew was declared in the capital.");
        var twice = Score(Curfew, "A curfew was declared. " + filler + "Another curfew was declared in the north.");

        Assert.True(filler.Length > 3 * KeywordScorer.ChunkCharacters);
        Assert.Equal((Severity.Warning, 3.0), (late.Severity, late.Score));
        Assert.Equal("film", Assert.Single(framed.Signals).Evidence[0].DampedBy); // the lead piece frames the later ones
        Assert.Equal(2, Assert.Single(twice.Signals).Evidence.Count); // one signal, evidence from both ends
    }

    [Fact]
    public void Score_FramingInTitle_DampsTheWholeArticle()
    {
        var result = Score(Curfew, "The city is under a curfew in the second act.", title: "Film review: a dark thriller");

        Assert.Equal(3 * 0.2, result.Score, 3);
        Assert.Equal("film", result.Signals[0].Evidence[0].DampedBy);
        Assert.Equal(Severity.None, result.Severity);
    }

    [Fact]
    public void Score_FramingInSentence_DampsThatMatch()
    {
        var result = Score(Curfew, "Markets were calm today. A curfew drill was held in the port.");

        Assert.Equal(3 * 0.4, result.Score, 3);
    }

    [Fact]
    public void Score_SeveralDistinctSignals_Escalate()
    {
        var lists = List("""
            signal: a
              label: A
              weight: 2
              phrase: curfew
            signal: b
              label: B
              weight: 2
              phrase: martial law
            signal: c
              label: C
              weight: 2
              phrase: coup
            """);

        Assert.Equal((Severity.Watch, 2.0), (Score(lists, "A curfew.").Severity, Score(lists, "A curfew.").Score));
        Assert.Equal((Severity.Warning, 6.0), (Score(lists, "A curfew. Martial law.").Severity, Score(lists, "A curfew. Martial law.").Score));
        Assert.Equal((Severity.Critical, 12.0), (Score(lists, "A curfew. Martial law. A coup.").Severity, Score(lists, "A curfew. Martial law. A coup.").Score));
    }

    [Fact]
    public void Score_NothingRelevant_IsNone()
    {
        var result = Score(Curfew, "The weather was fine and markets rose.");

        Assert.Equal(ScoreResult.Empty, result);
    }

    [Fact]
    public void Score_LongSentence_SnippetIsShortenedAroundTheMatch()
    {
        var content = string.Join(" ", Enumerable.Repeat("word", 100)) + " curfew " + string.Join(" ", Enumerable.Repeat("word", 100)) + ".";

        var snippet = Score(Curfew, content).Signals[0].Evidence[0].Text;

        Assert.Contains("curfew", snippet, StringComparison.Ordinal);
        Assert.True(snippet.Length <= 190, snippet);
        Assert.StartsWith("…", snippet, StringComparison.Ordinal);
        Assert.EndsWith("…", snippet, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_SeveralLists_TakesTheHighestSeverity()
    {
        var strict = KeywordListParser.Parse("list: strict\nthresholds: watch 1, warning 2, critical 3\nsignal: c\n  label: C\n  weight: 3\n  phrase: curfew\n");
        var lax = KeywordListParser.Parse("list: lax\nthresholds: watch 10, warning 20, critical 30\nsignal: c2\n  label: C\n  weight: 3\n  phrase: curfew\n");
        var lists = CompiledKeywordLists.Compile(strict, lax);

        var result = KeywordScorer.Score(lists, "", "A curfew.");

        Assert.Equal(Severity.Critical, result.Severity);
        Assert.Equal(["strict", "lax"], result.Signals.Select(s => s.List));
    }

    [Fact]
    public void Score_IsThreadSafe()
    {
        var results = new System.Collections.Concurrent.ConcurrentBag<int>();
        Parallel.For(0, 200, i => results.Add(Score(Curfew, i % 2 == 0 ? "A curfew." : "Calm.").Signals.Count));

        Assert.Equal(100, results.Count(c => c == 1));
    }

    [Fact]
    public void Score_SeedShapedReport_IsCriticalWithEverySignal()
    {
        // A wire report in the machine-translated register the service exists for (our own text).
        const string title = "Unrest spreads: capital under emergency rule";
        const string content = """
            Security forces cleared the central square on Thursday night after riots that killed dozens of people and led to hundreds of arrests.
            The regional security alliance said it had decided to send “ peacekeeping forces To support the government.
            The authorities have severely restricted access to the internet and the telephone network since Wednesday.
            A state of emergency and a nationwide night curfew were in place, but ” certain rights continue to apply », noted the official.
            The security forces responded by firing live ammunition.
            Around 1,700 people have been arrested in connection with the protests, the interior ministry said.
            """;

        var result = KeywordScorer.Score(DefaultKeywordLists.Compiled, title, content);

        Assert.Equal(Severity.Critical, result.Severity);
        Assert.Superset(
            new HashSet<string> { "state-of-emergency", "internet-shutdown", "foreign-troops", "curfew", "live-fire", "fatalities", "mass-arrests" },
            result.Signals.Select(s => s.Id).ToHashSet());
        Assert.All(result.Signals, s => Assert.NotEmpty(s.Evidence));
    }

    [Theory]
    [InlineData("Police shoot dead four marchers in the capital", "fatalities")] // a headline's present tense, with its dead
    [InlineData("Soldiers shoot dead three protesters near the palace", "fatalities")]
    [InlineData("A sniper shoots dead two demonstrators", "live-fire")]
    public void DefaultLists_ShootDeadInAHeadline_IsWhatItSays(string title, string signal)
    {
        Assert.Contains(signal, KeywordScorer.Score(DefaultKeywordLists.Compiled, title, "").Signals.Select(s => s.Id));
    }

    [Theory]
    [InlineData("Mobile data went dark across the capital as the rally began")]
    [InlineData("The internet has gone dark in the northern provinces")]
    public void DefaultLists_TheInternetGoingDark_IsAShutdown(string title)
    {
        Assert.Contains("internet-shutdown", KeywordScorer.Score(DefaultKeywordLists.Compiled, title, "").Signals.Select(s => s.Id));
    }

    [Theory]
    [InlineData("Des soldats rwandais supplémentaires déployés à Bangui")] // masculine plural, as "soldats" takes
    [InlineData("L'armée et des paramilitaires russes entrent dans la ville")]
    [InlineData("Des militaires tchadiens franchissent la frontière")]
    public void DefaultLists_ForeignSoldiersInFrench_AreForeignTroops(string title)
    {
        Assert.Contains("foreign-troops", KeywordScorer.Score(DefaultKeywordLists.Compiled, title, "").Signals.Select(s => s.Id));
    }

    [Fact]
    public void DefaultLists_AThreatToShootDead_IsNoShooting()
    {
        Assert.DoesNotContain("live-fire", KeywordScorer.Score(DefaultKeywordLists.Compiled, "Governor vows to shoot dead looters", "").Signals.Select(s => s.Id));
    }

    private static readonly CompiledKeywordLists Context = List("""
        signal: soe
          label: State of emergency
          weight: 4
          phrase: state of emergency
          exclude article: hurricane | flood*
          reverse: lift* | ended
        signal: arrests
          label: Mass arrests
          weight: 4
          quantity >= 20: arrested | detained
        signal: martial
          label: Martial law
          weight: 4
          phrase: martial law
          decisive near 3: declares | declared ; martial law
        """, "watch 2, warning 4, critical 12");

    [Fact]
    public void Score_ArticleExclusionInTheLead_CancelsTheSignalEverywhere()
    {
        var result = KeywordScorer.Score(Context, "Hurricane makes landfall on the coast", "Winds reached 200 km/h. Roads were closed. The governor declared a state of emergency for three counties.");

        Assert.Empty(result.Signals);
        var cancelled = Assert.Single(result.Cancelled);
        Assert.Equal("the article is about 'Hurricane'", cancelled.Reason);
    }

    [Fact]
    public void Score_ArticleExclusionPastTheLead_DoesNotCancel()
    {
        var result = KeywordScorer.Score(Context, "Crackdown", "A state of emergency was declared. Troops deployed. Shops closed. Schools closed. Last year's flood was worse.");

        Assert.Equal("soe", Assert.Single(result.Signals).Id);
    }

    [Fact]
    public void Score_TitleReportsTheEnd_BodyFactsAreBackground()
    {
        var result = KeywordScorer.Score(
            Context,
            "Government lifts the state of emergency",
            "The state of emergency, imposed in January after the riots, is over. During the unrest 486 people were arrested.");

        var soe = Assert.Single(result.Signals, s => s.Id == "soe");
        Assert.All(soe.Evidence, e => Assert.Equal("the title or lead reports its end (reversed by 'lifts')", e.DampedBy));
        var arrests = Assert.Single(result.Signals, s => s.Id == "arrests");
        Assert.Equal("the story reports an end (reversed by 'lifts')", arrests.Evidence[0].DampedBy);
        Assert.True(result.Severity < Severity.Warning);
    }

    [Fact]
    public void Score_TitleStatesANewFact_AnEndElsewhereDoesNotDampIt()
    {
        var result = KeywordScorer.Score(Context, "Police detained 300 protesters overnight", "The state of emergency was lifted last week. Police detained 300 protesters overnight.");

        var arrests = Assert.Single(result.Signals);
        Assert.All(arrests.Evidence, e => Assert.Null(e.DampedBy));
    }

    [Fact]
    public void Score_DenialInTheTitle_CancelsTheSignal()
    {
        var result = KeywordScorer.Score(DefaultKeywordLists.Compiled, "President rejects martial law", "Calls for martial law grew louder after the protests, but the president said the army would stay in its barracks.");

        Assert.DoesNotContain(result.Signals, s => s.Id == "martial-law" && s.Evidence.Any(e => e.DampedBy is null));
        Assert.True(result.Severity < Severity.Warning);
    }

    [Theory]
    [InlineData("The president declared martial law on Tuesday night.", Severity.Critical)]
    [InlineData("The president has not declared martial law.", Severity.None)]
    [InlineData("Martial law remains a subject of debate.", Severity.Warning)]
    public void Score_DecisiveRule_MakesTheArticleCriticalOnItsOwn(string content, Severity expected)
    {
        var result = KeywordScorer.Score(Context, "", content);

        Assert.Equal(expected, result.Severity);
        if (expected == Severity.Critical)
        {
            Assert.Contains(Assert.Single(result.Signals).Evidence, e => e.Rule.StartsWith("decisive", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Score_DecisiveRule_DampedByFraming_IsNotCritical()
    {
        var result = KeywordScorer.Score(Context, "Film review", "In the film, the president declared martial law on a stormy night.");

        Assert.True(result.Severity < Severity.Warning);
    }

    [Theory]
    [InlineData("The 1981 coup attempt failed within hours.", true)]
    [InlineData("Soldiers staged a coup on Monday, 14 years after the one in 2012.", false)]
    public void Score_PastYearNextToAMatch_IsHistory(string content, bool damped)
    {
        var result = KeywordScorer.Score(DefaultKeywordLists.Compiled, "", content, new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero));

        var coup = Assert.Single(result.Signals, s => s.Id == "coup");
        Assert.Equal(damped, coup.Evidence.All(e => e.DampedBy is not null));
        if (damped)
        {
            Assert.Equal("history (1981)", coup.Evidence[0].DampedBy);
        }
    }

    [Fact]
    public void Score_PastYearWithoutTheArticleDate_IsNotRead()
    {
        var result = KeywordScorer.Score(DefaultKeywordLists.Compiled, "", "The 1981 coup attempt failed within hours.");

        Assert.All(Assert.Single(result.Signals, s => s.Id == "coup").Evidence, e => Assert.Null(e.DampedBy));
    }

    [Fact]
    public void Score_PastYearInTheTitle_FramesTheArticle()
    {
        var result = KeywordScorer.Score(DefaultKeywordLists.Compiled, "Remembering 1973: the day the tanks came", "Soldiers seized power and dissolved parliament.", new DateTimeOffset(2023, 9, 11, 0, 0, 0, TimeSpan.Zero));

        Assert.All(result.Signals.SelectMany(s => s.Evidence), e => Assert.NotNull(e.DampedBy));
        Assert.True(result.Severity < Severity.Warning);
    }

    [Theory]
    [InlineData("What is martial law? An explainer", "Martial law is the imposition of direct military control over civilian functions.")]
    [InlineData("Opinion: the coup nobody saw coming", "A military coup needs more than soldiers; it needs a public that looks away.")]
    [InlineData("Qu'est-ce que l'état d'urgence ?", "L'état d'urgence est un régime d'exception prévu par la loi de 1955.")]
    public void Score_ExplainersAndOpinion_AreDamped(string title, string content)
    {
        var result = KeywordScorer.Score(DefaultKeywordLists.Compiled, title, content);

        Assert.True(result.Severity < Severity.Warning, $"{result.Severity} {result.Score}");
    }

    [Theory]
    [InlineData("Deux personnes ont été placées en détention le 29 juin.", false)]
    [InlineData("On June 29, 25 people were detained.", true)]
    [InlineData("Those detained on 24 janvier were released.", false)]
    [InlineData("Police said 40 people were arrested on March 3.", true)]
    public void Score_DatesAreNeverCounts(string content, bool arrests)
    {
        var result = KeywordScorer.Score(DefaultKeywordLists.Compiled, "", content);

        Assert.Equal(arrests, result.Signals.Any(s => s.Id == "mass-arrests"));
    }

    [Fact]
    public void Score_TitleOnlyMatch_GetsNoTitleBoost()
    {
        var unconfirmed = KeywordScorer.Score(Curfew, "Curfew", "The city council met on Tuesday to discuss parking fees.");
        var confirmed = KeywordScorer.Score(Curfew, "Curfew", "A curfew was imposed on the city on Tuesday.");
        var titleOnlyItem = KeywordScorer.Score(Curfew, "Curfew imposed", "");

        Assert.Equal(3, Assert.Single(unconfirmed.Signals).Weight); // no title boost
        Assert.Equal(4.5, Assert.Single(confirmed.Signals).Weight); // 3 x 1.5
        Assert.Equal(4.5, Assert.Single(titleOnlyItem.Signals).Weight);
    }

    [Theory]
    [InlineData("Army officers seize power in overnight coup", "Soldiers surrounded the presidential palace and announced on state television that the government had been dissolved.", "coup")]
    [InlineData("President declares martial law as protests spread", "The decree suspends the right of assembly and hands policing to the army.", "martial-law")]
    [InlineData("Tanks cross into the north as full-scale invasion begins", "Columns of foreign troops crossed into the country before dawn, officials said.", "foreign-troops")]
    [InlineData("Des militaires prennent le pouvoir et dissolvent le gouvernement", "Des soldats ont arrêté le président dans la nuit, selon plusieurs témoins.", "coup")]
    [InlineData("El Gobierno declara la ley marcial en todo el país", "El decreto entra en vigor esta medianoche.", "martial-law")]
    public void Score_DecisiveEvents_AreCriticalOnTheirOwn(string title, string content, string signal)
    {
        var result = KeywordScorer.Score(DefaultKeywordLists.Compiled, title, content, new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(Severity.Critical, result.Severity);
        Assert.Contains(result.Signals, s => s.Id == signal && s.Evidence.Any(e => e.Rule.StartsWith("decisive", StringComparison.Ordinal)));
    }
}
