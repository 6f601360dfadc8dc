using System.Runtime.InteropServices;

namespace Alerts.Core.Scoring;

/// <summary>
/// Scores articles for escalation signals. The article is tokenized once against the compiled vocabulary; only the
/// signals whose terms occurred are evaluated. A candidate match is cancelled by an exclusion in its sentence, a
/// negation shortly before it in its clause, or a reversal near it in its sentence; a framing cue (fiction, review,
/// game, drill, history) in its sentence or in the title damps it. Thread-safe.
/// </summary>
public static class KeywordScorer
{
    private const int NegationWindow = 5;
    private const int ReversalWindow = 6;
    private const int QuantityWindow = 8;
    private const double SentenceFramingDamp = 0.4;
    private const double ArticleFramingDamp = 0.2;
    private const int MaxEvidencePerSignal = 3;
    private const int SnippetLength = 180;

    [ThreadStatic]
    private static ArticleText? t_text;

    [ThreadStatic]
    private static List<(int First, int Last)>? t_left;

    [ThreadStatic]
    private static List<(int First, int Last)>? t_right;

    [ThreadStatic]
    private static List<(int First, int Last)>? t_cues;

    [ThreadStatic]
    private static List<int>? t_tried;

    [ThreadStatic]
    private static Stamps? t_stamps;

    /// <summary>Per-thread generation stamps for candidate rules and signals.</summary>
    private sealed class Stamps
    {
        private int _generation;

        public int[] Rules { get; private set; } = [];

        public int[] Signals { get; private set; } = [];

        public int Next(CompiledKeywordLists lists)
        {
            if (Rules.Length < lists.RuleSignal.Length || Signals.Length < lists.SignalCount || _generation == int.MaxValue)
            {
                Rules = new int[Math.Max(lists.RuleSignal.Length, Rules.Length)];
                Signals = new int[Math.Max(lists.SignalCount, Signals.Length)];
                _generation = 0;
            }

            return ++_generation;
        }
    }

    /// <summary>Characters of content read at a time (see <see cref="TextChunks"/>); a match never spans two pieces.</summary>
    public const int ChunkCharacters = 32 * 1024;

    /// <summary>Sentences of content, after the title, that make the lead: where an article says what it is about.</summary>
    public const int LeadSentences = 2;

    /// <summary>A year at least this many years before the article's date, next to a match, makes it history.</summary>
    private const int PastYears = 2;

    /// <summary>Words between a match and a year that frames it ("the 1981 coup attempt", "martial law in 1972"), in its clause; half as many in another clause.</summary>
    private const int YearWindow = 12;


    /// <summary>
    /// Scores one article with every list in <paramref name="lists"/>. The title (its first
    /// <see cref="ArticleMessageText.MaxTitleCharacters"/> characters) is read with each piece of the content; a signal
    /// keeps its best weight and first evidence over all pieces, and the lead piece decides the article's framing.
    /// </summary>
    /// <param name="lists">The compiled lists.</param>
    /// <param name="title">The article's title.</param>
    /// <param name="content">The article's text.</param>
    /// <param name="asOf">The article's date: a year at least two years before it, next to a match, makes the match history. Null: years are not read.</param>
    public static ScoreResult Score(CompiledKeywordLists lists, string? title, string? content, DateTimeOffset? asOf = null)
    {
        ArgumentNullException.ThrowIfNull(lists);
        title ??= "";
        content ??= "";
        if (title.Length > ArticleMessageText.MaxTitleCharacters)
        {
            title = title[..ArticleMessageText.MaxTitleCharacters];
        }

        var text = t_text ??= new ArticleText();
        var stamps = t_stamps ??= new Stamps();
        var merged = new SignalMatch?[lists.Lists.Length][];
        var contexts = new ArticleContext?[lists.Lists.Length];
        var cancelled = new List<CancelledMatch>();
        var any = false;
        var lead = true;
        var pastYear = asOf is { } date ? date.Year - PastYears : int.MinValue;
        var hasContent = content.AsSpan().ContainsAnyExcept(" \t\r\n");
        foreach (var (start, length) in TextChunks.Split(content, ChunkCharacters))
        {
            text.Load(lists, title, start == 0 && length == content.Length ? content : content.Substring(start, length));
            // The lead piece of a long article decides the framing even when its own words match nothing.
            any |= ScorePiece(lists, text, stamps, merged, contexts, new PieceOptions(lead, lead && length < content.Length, pastYear, hasContent), cancelled);
            lead = false;
        }

        if (!any)
        {
            return ScoreResult.Empty;
        }

        var best = Severity.None;
        var bestScore = 0.0;
        var signals = new List<SignalMatch>();
        for (var l = 0; l < lists.Lists.Length; l++)
        {
            var list = lists.Lists[l];
            var sum = 0.0;
            var found = 0;
            foreach (var match in merged[l] ?? [])
            {
                if (match is not null)
                {
                    signals.Add(match);
                    sum += match.Weight;
                    if (match.Evidence.Any(e => e.DampedBy is null))
                    {
                        found++; // only undamped signals escalate one another
                    }
                }
            }

            var score = sum * (1 + (list.Definition.Combine * Math.Max(0, found - 1)));
            var thresholds = list.Definition.Thresholds;
            var severity = score >= thresholds.Critical ? Severity.Critical
                : score >= thresholds.Warning ? Severity.Warning
                : score >= thresholds.Watch ? Severity.Watch
                : Severity.None;
            if (found == 0 && severity > Severity.Watch)
            {
                severity = Severity.Watch; // framed, historical or background matches alone are worth a look, never an alert
            }
            if (severity > best || (severity == best && score > bestScore))
            {
                best = severity;
                bestScore = score;
            }
        }

        return new ScoreResult(best, Math.Round(bestScore, 2), signals, cancelled);
    }

    private readonly record struct PieceOptions(bool Lead, bool MoreToCome, int PastYear, bool HasContent);

    /// <summary>One candidate match of a signal, and why it does not count (null when it does).</summary>
    private readonly record struct Candidate(int First, int Last, CompiledRule Rule, string? Reason, Cancel Cancel);

    private static readonly List<Candidate> NoCandidates = [];

    private static readonly List<(int First, int Last, CompiledPhrase Phrase)> NoOccurrences = [];

    /// <summary>Why a candidate match does not count.</summary>
    private enum Cancel
    {
        None,
        Excluded,
        Negated,
        Reversed,
    }

    /// <summary>
    /// What the lead piece says about the article as a whole, for one list: a framing cue (fiction, review, drill,
    /// history, explainer), the signals whose end or denial the title or lead sentence reports, the signals the article
    /// is about something else for (<c>exclude article:</c>), and whether the story as a whole is about an end.
    /// </summary>
    private sealed class ArticleContext
    {
        public string? Framing { get; set; }
        public string?[] Ended { get; init; } = [];
        public string?[] ExcludedBy { get; init; } = [];
        public string? StoryEnding { get; set; }
    }

    /// <summary>Evaluates the signals whose terms occur in the loaded piece, merging into <paramref name="merged"/>; false when none occur.</summary>
    private static bool ScorePiece(CompiledKeywordLists lists, ArticleText text, Stamps stamps, SignalMatch?[][] merged, ArticleContext?[] contexts, PieceOptions options, List<CancelledMatch> cancelled)
    {
        // Candidate rules and signals: those anchored on a term that occurred. Stamps avoid clearing between pieces.
        var generation = stamps.Next(lists);
        var any = false;
        foreach (var term in text.TouchedTerms)
        {
            foreach (var rule in lists.TermRules[term])
            {
                stamps.Rules[rule] = generation;
                stamps.Signals[lists.RuleSignal[rule]] = generation;
                any = true;
            }
        }

        for (var l = 0; l < lists.Lists.Length && (any || options.MoreToCome); l++)
        {
            var list = lists.Lists[l];
            var cues = Cues.Find(text, list);
            if (!any)
            {
                if (options.Lead)
                {
                    contexts[l] = new ArticleContext { Framing = cues.ArticleFraming(text, options.PastYear), Ended = new string?[list.Signals.Length], ExcludedBy = new string?[list.Signals.Length] };
                }

                continue;
            }

            var candidates = new List<Candidate>?[list.Signals.Length];
            for (var s = 0; s < list.Signals.Length; s++)
            {
                if (stamps.Signals[list.Signals[s].Index] == generation)
                {
                    candidates[s] = Candidates(text, cues, list.Signals[s], stamps, generation);
                }
            }

            if (options.Lead)
            {
                contexts[l] = Context(text, cues, list, candidates, options.PastYear);
            }

            var context = contexts[l]!;
            for (var s = 0; s < list.Signals.Length; s++)
            {
                if (candidates[s] is { Count: > 0 } found
                    && Evaluate(text, cues, list.Definition, list.Signals[s], found, context, s, options, cancelled) is { } match)
                {
                    merged[l] ??= new SignalMatch?[list.Signals.Length];
                    merged[l][s] = Merge(merged[l][s], match);
                }
            }
        }

        return any;
    }

    /// <summary>The article-wide context of one list, read from the title and the lead of the first piece.</summary>
    private static ArticleContext Context(ArticleText text, Cues cues, CompiledList list, List<Candidate>?[] candidates, int pastYear)
    {
        var context = new ArticleContext
        {
            Framing = cues.ArticleFraming(text, pastYear),
            Ended = new string?[list.Signals.Length],
            ExcludedBy = new string?[list.Signals.Length],
        };
        var titleStates = false;
        string? ending = null;
        for (var s = 0; s < list.Signals.Length; s++)
        {
            var signal = list.Signals[s];
            if (signal.ArticleExcludes.Length > 0 && candidates[s] is not null)
            {
                foreach (var (first, last, _) in Occurrences(text, signal.ArticleExcludes))
                {
                    if (InLead(text, first, LeadSentences))
                    {
                        context.ExcludedBy[s] = Words(text, first, last);
                        break;
                    }
                }
            }

            // The title (or, when the title does not name the signal, the lead sentence) reports the end or the denial
            // of this signal and does not state it: the article is about that end, and its body's facts are background
            // (damped, as framing damps). A title that names the signal with one of its reversal cues but matches no
            // rule ("4G internet restored") reports an end too.
            var found = candidates[s] ?? NoCandidates;
            var inTitle = false;
            foreach (var c in found)
            {
                inTitle |= text.Positions[c.First].Field == ArticleField.Title;
            }

            if (!inTitle && TitleEnds(text, signal) is { } titleEnd)
            {
                context.Ended[s] = titleEnd;
                ending ??= titleEnd;
                continue;
            }

            string? endedBy = null;
            var reversed = false;
            var stated = false;
            foreach (var c in found)
            {
                var where = text.Positions[c.First].Field == ArticleField.Title;
                if (inTitle ? !where : !InLead(text, c.First, 1))
                {
                    continue;
                }

                if (c.Reason is null)
                {
                    stated = true;
                    titleStates |= where;
                }
                else if (c.Cancel is Cancel.Reversed or Cancel.Negated)
                {
                    endedBy ??= c.Reason;
                    reversed |= c.Cancel == Cancel.Reversed;
                }
            }

            context.Ended[s] = stated ? null : endedBy;
            if (!stated && reversed)
            {
                ending ??= endedBy; // a denial ends that signal only; an end ("lifted", "restored") is what the story reports
            }
        }

        if (!titleStates && ending is not null)
        {
            context.StoryEnding = ending;
        }

        return context;
    }

    /// <summary>
    /// The reversal cue of <paramref name="signal"/> in the title, when the title also has one of the signal's words
    /// ("internet" and "restored"); else null.
    /// </summary>
    private static string? TitleEnds(ArticleText text, CompiledSignal signal)
    {
        var found = t_cues ??= [];
        foreach (var cue in signal.Reverses.All)
        {
            if (!InTitle(text, cue))
            {
                continue;
            }

            found.Clear();
            text.FindPhrase(cue, found);
            if (found.Count == 0 || text.Positions[found[0].First].Field != ArticleField.Title)
            {
                continue;
            }

            var (first, last) = found[0];
            foreach (var rule in signal.Rules)
            {
                foreach (var phrase in rule.Phrases)
                {
                    if (InTitle(text, phrase))
                    {
                        return $"reversed by '{Words(text, first, last)}'";
                    }
                }
            }
        }

        return null;
    }

    /// <summary>
    /// True when the anchor word of <paramref name="phrase"/> occurs in the title: a term's hits are in position order,
    /// the title's first, so its first hit decides.
    /// </summary>
    private static bool InTitle(ArticleText text, CompiledPhrase phrase)
    {
        var head = text.TermHead(phrase.Terms[phrase.Anchor]);
        return head >= 0 && text.Positions[text.Hits[head].Pos].Field == ArticleField.Title;
    }

    /// <summary>True when position <paramref name="first"/> is in the title or in the first <paramref name="sentences"/> sentences of the content.</summary>
    private static bool InLead(ArticleText text, int first, int sentences)
    {
        var sentence = text.Positions[first].Sentence;
        if (text.Sentences[sentence].Field == ArticleField.Title)
        {
            return true;
        }

        // Bounded: stops after the lead, however far into the article the position is.
        var contentSentences = 0;
        for (var s = 0; s < text.SentenceCount && contentSentences <= sentences; s++)
        {
            if (text.Sentences[s].Field == ArticleField.Content && text.Sentences[s].End > text.Sentences[s].Start)
            {
                contentSentences++;
            }

            if (s == sentence)
            {
                return contentSentences <= sentences;
            }
        }

        return false;
    }

    /// <summary>One signal over two pieces: the higher weight, and the first distinct evidence up to the limit.</summary>
    private static SignalMatch Merge(SignalMatch? earlier, SignalMatch later)
    {
        if (earlier is null)
        {
            return later;
        }

        var evidence = earlier.Evidence.Count >= MaxEvidencePerSignal ? earlier.Evidence
            : [.. earlier.Evidence.Concat(later.Evidence.Where(e => !earlier.Evidence.Any(x => x.Text == e.Text))).Take(MaxEvidencePerSignal)];
        return earlier with { Weight = Math.Max(earlier.Weight, later.Weight), Evidence = evidence };
    }

    /// <summary>Every match of the signal's candidate rules in the piece, each with the reason it is cancelled, if any.</summary>
    private static List<Candidate> Candidates(ArticleText text, Cues cues, CompiledSignal signal, Stamps stamps, int generation)
    {
        var found = new List<Candidate>();
        Dictionary<int, (int First, int Last)>? excludes = null;
        List<(int First, int Last, CompiledPhrase Phrase)>? reverses = null;
        var left = t_left ??= [];
        var right = t_right ??= [];
        foreach (var rule in signal.Rules)
        {
            if (stamps.Rules[rule.Index] != generation)
            {
                continue;
            }

            var matches = Matches(text, rule, left, right);
            if (matches.Count == 0)
            {
                continue;
            }

            var unless = rule.Unless.Length == 0 ? null : FirstBySentence(text, Occurrences(text, rule.Unless), null);
            excludes ??= FirstBySentence(text, Occurrences(text, signal.Excludes), null);
            reverses ??= SortedByFirst(Occurrences(text, signal.Reverses));
            foreach (var (first, last) in matches)
            {
                var (reason, cancel) = CancelReason(text, cues, unless, excludes, reverses, first, last);
                found.Add(new Candidate(first, last, rule, reason, cancel));
            }
        }

        return found;
    }

    private static SignalMatch? Evaluate(ArticleText text, Cues cues, KeywordListDefinition list, CompiledSignal signal, List<Candidate> candidates, ArticleContext context, int index, PieceOptions options, List<CancelledMatch> cancelled)
    {
        var definition = signal.Definition;
        var weight = 0.0;
        List<Evidence>? evidence = null;
        var confirmed = !options.HasContent; // a title-only item has nothing else to confirm it
        foreach (var c in candidates)
        {
            confirmed |= c.Reason is null && text.Positions[c.First].Field == ArticleField.Content;
        }

        // Decisive matches first, so that a sentence that both rules match shows the decisive one as its evidence.
        if (candidates.Exists(static c => c.Rule.Decisive))
        {
            candidates.Sort(static (a, b) => a.Rule.Decisive != b.Rule.Decisive ? b.Rule.Decisive.CompareTo(a.Rule.Decisive) : a.First.CompareTo(b.First));
        }

        foreach (var c in candidates)
        {
            var (first, last) = (c.First, c.Last);
            var field = text.Positions[first].Field;
            var reason = c.Reason ?? (context.ExcludedBy[index] is { } about ? $"the article is about '{about}'" : null);
            if (reason is not null)
            {
                if (cancelled.Count < 50)
                {
                    cancelled.Add(new CancelledMatch(definition.Id, field, Snippet(text, first, last), reason));
                }

                continue;
            }

            var sentenceFraming = cues.FramingIn(text.Positions[first].Sentence) ?? PastYearNear(text, first, last, options.PastYear);
            var articleFraming = context.Framing
                ?? (context.Ended[index] is { } ended ? $"the title or lead reports its end ({ended})" : null)
                ?? (context.StoryEnding is { } end ? $"the story reports an end ({end})" : null);
            var damp = articleFraming ?? sentenceFraming;
            var factor = articleFraming is not null ? ArticleFramingDamp : sentenceFraming is not null ? SentenceFramingDamp : 1;
            var w = c.Rule.Decisive && factor == 1 ? Math.Max(definition.Weight, list.Thresholds.Critical)
                : definition.Weight * factor * (field != ArticleField.Title ? 1 : confirmed ? definition.TitleBoost : 1);
            weight = Math.Max(weight, w);
            evidence ??= [];
            if (evidence.Count < MaxEvidencePerSignal)
            {
                var snippet = Snippet(text, first, last);
                if (!evidence.Exists(e => e.Text == snippet))
                {
                    evidence.Add(new Evidence(field, snippet, RuleName(c.Rule), damp, Words(text, first, last).Replace('\n', ' ')));
                }
            }
        }

        return evidence is null ? null : new SignalMatch(definition.Id, definition.Label, list.Name, Math.Round(weight, 2), evidence);
    }

    /// <summary>A year at least two years before the article's date within a few words of a match, in its sentence: "history (1981)".</summary>
    private static string? PastYearNear(ArticleText text, int first, int last, int pastYear)
    {
        if (text.YearCount == 0 || pastYear == int.MinValue)
        {
            return null;
        }

        // Years are in position order: only those within the window are looked at.
        var sentence = text.Positions[first].Sentence;
        for (var y = LowerBound(text.Years.AsSpan(0, text.YearCount), first - YearWindow - 1, static x => x.Pos); y < text.YearCount && text.Years[y].Pos <= last + YearWindow + 1; y++)
        {
            var (pos, year) = text.Years[y];
            // Within the window in the match's clause ("the coup of September 1973"), or close by in another one.
            var window = text.Positions[pos].Clause == text.Positions[first].Clause || text.Positions[pos].Clause == text.Positions[last].Clause ? YearWindow : YearWindow / 2;
            if (year <= pastYear && text.Positions[pos].Sentence == sentence && pos >= first - window - 1 && pos <= last + window + 1)
            {
                return $"history ({year})";
            }
        }

        return null;
    }

    private static string RuleName(CompiledRule rule) => (rule.Decisive ? "decisive " : "") + rule.Kind switch
    {
        RuleKind.Phrase => "phrase",
        RuleKind.Near => "near",
        _ => "quantity",
    };

    /// <summary>Every (first, last) span the rule matches.</summary>
    private static List<(int First, int Last)> Matches(ArticleText text, CompiledRule rule, List<(int First, int Last)> left, List<(int First, int Last)> right)
    {
        left.Clear();
        foreach (var phrase in rule.Left)
        {
            if (text.TermHead(phrase.Terms[phrase.Anchor]) >= 0)
            {
                text.FindPhrase(phrase, left);
            }
        }

        switch (rule.Kind)
        {
            case RuleKind.Phrase:
                return left.Count == 0 ? left : [.. left];
            case RuleKind.Near:
                if (left.Count == 0)
                {
                    return left;
                }

                right.Clear();
                foreach (var phrase in rule.Right)
                {
                    if (text.TermHead(phrase.Terms[phrase.Anchor]) >= 0)
                    {
                        text.FindPhrase(phrase, right);
                    }
                }

                // Each left side with its nearest right side: the right sides sorted once, then only those whose start
                // lies in the window are looked at (linear in the text, whatever the window and the word frequencies).
                right.Sort();
                var longestRight = 0;
                foreach (var (rf, rl) in right)
                {
                    longestRight = Math.Max(longestRight, rl - rf);
                }

                var near = new List<(int, int)>();
                var window = (int)Math.Min(rule.Number, int.MaxValue / 4);
                foreach (var (lf, ll) in left)
                {
                    var best = -1;
                    var bestGap = int.MaxValue;
                    for (var r = LowerBound(CollectionsMarshal.AsSpan(right), lf - window - 1 - longestRight, static x => x.First); r < right.Count && right[r].First <= ll + window + 1; r++)
                    {
                        var (rf, rl) = right[r];
                        // "within N words": at most N words between the two sides.
                        var gap = rf > ll ? rf - ll - 1 : lf > rl ? lf - rl - 1 : 0;
                        if (gap <= rule.Number && gap < bestGap && (rule.AcrossSentences || text.Positions[lf].Sentence == text.Positions[rf].Sentence)
                            && text.Positions[lf].Field == text.Positions[rf].Field && (lf, ll) != (rf, rl))
                        {
                            best = r;
                            bestGap = gap;
                        }
                    }

                    if (best >= 0)
                    {
                        near.Add((Math.Min(lf, right[best].First), Math.Max(ll, right[best].Last)));
                    }
                }

                return near;
            default:
                if (left.Count == 0)
                {
                    return left;
                }

                var quantities = new List<(int, int)>();
                foreach (var (first, last) in left)
                {
                    var sentence = text.Positions[first].Sentence;
                    for (var n = LowerBound(text.Numbers.AsSpan(0, text.NumberCount), first - QuantityWindow, static x => x.Pos); n < text.NumberCount && text.Numbers[n].Pos <= last + QuantityWindow; n++)
                    {
                        var (pos, value) = text.Numbers[n];
                        if (value >= rule.Number && text.Positions[pos].Sentence == sentence && !text.IsNoCount(pos)
                            && pos >= first - QuantityWindow && pos <= last + QuantityWindow && (pos < first || pos > last))
                        {
                            quantities.Add((Math.Min(first, pos), Math.Max(last, pos)));
                            break;
                        }
                    }
                }

                return quantities;
        }
    }

    /// <summary>All occurrences of the phrases, with the phrase that matched.</summary>
    /// <remarks>When none occurs, a shared empty list that callers only read (or sort, which leaves it empty).</remarks>
    private static List<(int First, int Last, CompiledPhrase Phrase)> Occurrences(ArticleText text, CompiledPhrase[] phrases)
    {
        List<(int, int, CompiledPhrase)>? result = null;
        foreach (var phrase in phrases)
        {
            if (text.TermHead(phrase.Terms[phrase.Anchor]) >= 0)
            {
                Find(text, phrase, ref result);
            }
        }

        return result ?? NoOccurrences;
    }

    /// <summary>
    /// The occurrences of a set's phrases, in the set's order. When the text touches fewer terms than the set has
    /// phrases (the usual case for lists in many languages), only the phrases anchored on those terms are tried.
    /// </summary>
    private static List<(int First, int Last, CompiledPhrase Phrase)> Occurrences(ArticleText text, PhraseSet set)
    {
        if (set.Length <= text.Touched.Count)
        {
            return Occurrences(text, set.All);
        }

        var tried = t_tried ??= [];
        tried.Clear();
        foreach (var term in text.Touched)
        {
            if (set.ByAnchor.TryGetValue(term, out var indexes))
            {
                tried.AddRange(indexes);
            }
        }

        if (tried.Count == 0)
        {
            return NoOccurrences;
        }

        tried.Sort();
        List<(int, int, CompiledPhrase)>? result = null;
        foreach (var index in tried)
        {
            Find(text, set.All[index], ref result);
        }

        return result ?? NoOccurrences;
    }

    private static void Find(ArticleText text, CompiledPhrase phrase, ref List<(int, int, CompiledPhrase)>? result)
    {
        var found = t_cues ??= [];
        found.Clear();
        text.FindPhrase(phrase, found);
        foreach (var (first, last) in found)
        {
            (result ??= []).Add((first, last, phrase));
        }
    }

    /// <summary>
    /// Why a match does not count, or null. Each look-up is bounded: exclusions by sentence in a dictionary, negations
    /// and reversals by position in sorted lists within their word windows, so a long article costs time in proportion
    /// to its length, not to its matches times its cues.
    /// </summary>
    private static (string? Reason, Cancel Cancel) CancelReason(
        ArticleText text,
        Cues cues,
        Dictionary<int, (int First, int Last)>? unless,
        Dictionary<int, (int First, int Last)> excludes,
        List<(int First, int Last, CompiledPhrase Phrase)> reverses,
        int first,
        int last)
    {
        var sentence = text.Positions[first].Sentence;
        if ((unless is not null && unless.TryGetValue(sentence, out var excluded)) || excludes.TryGetValue(sentence, out excluded))
        {
            return ($"excluded by '{Words(text, excluded.First, excluded.Last)}'", Cancel.Excluded);
        }

        var clause = text.Positions[first].Clause;
        (int First, int Last)? negatedBy = null;
        var negations = cues.Negations;
        for (var i = LowerBound(CollectionsMarshal.AsSpan(negations), first - NegationWindow - 1 - cues.LongestNegation, static x => x.First); i < negations.Count && negations[i].First < last; i++)
        {
            // "within N words" = at most N words between the cue and the match; the longest cue explains best. A cue
            // between the two sides of a proximity match negates it too ("the army: this is not a coup").
            var (cf, cl, _) = negations[i];
            var before = cl < first && first - cl - 1 <= NegationWindow && text.Positions[cf].Clause == clause;
            var inside = cf > first && cl < last && text.Positions[cf].Clause == text.Positions[last].Clause;
            if ((before || inside) && text.Positions[cf].Sentence == sentence
                && (negatedBy is null || cl - cf > negatedBy.Value.Last - negatedBy.Value.First))
            {
                negatedBy = (cf, cl);
            }
        }

        if (negatedBy is { } n)
        {
            return ($"negated by '{Words(text, n.First, n.Last)}'", Cancel.Negated);
        }

        for (var i = LowerBound(CollectionsMarshal.AsSpan(reverses), first - ReversalWindow - MaxCueWords, static x => x.First); i < reverses.Count && reverses[i].First <= last + ReversalWindow; i++)
        {
            var (cf, cl, _) = reverses[i];
            var near = (cl < first && first - cl <= ReversalWindow) || (cf > last && cf - last <= ReversalWindow) || (cf >= first && cl <= last);
            if (near && text.Positions[cf].Sentence == sentence)
            {
                return ($"reversed by '{Words(text, cf, cl)}'", Cancel.Reversed);
            }
        }

        return (null, Cancel.None);
    }

    /// <summary>Longest reversal cue, in words, that the reversal window reaches back over (longer cues are rarer than this bound).</summary>
    private const int MaxCueWords = 16;

    /// <summary>The first occurrence in each sentence (in list order), added to <paramref name="into"/> if given.</summary>
    private static Dictionary<int, (int First, int Last)> FirstBySentence(ArticleText text, List<(int First, int Last, CompiledPhrase Phrase)> occurrences, Dictionary<int, (int First, int Last)>? into)
    {
        into ??= [];
        foreach (var (first, last, _) in occurrences)
        {
            into.TryAdd(text.Positions[first].Sentence, (first, last));
        }

        return into;
    }

    private static List<(int First, int Last, CompiledPhrase Phrase)> SortedByFirst(List<(int First, int Last, CompiledPhrase Phrase)> occurrences)
    {
        if (occurrences.Count > 1) // never the shared empty list: sorting it would touch its version from many threads
        {
            occurrences.Sort(static (a, b) => a.First != b.First ? a.First.CompareTo(b.First) : a.Last.CompareTo(b.Last));
        }

        return occurrences;
    }

    /// <summary>Index of the first item whose position (by <paramref name="start"/>, ascending) is at or after <paramref name="position"/>.</summary>
    private static int LowerBound<T>(ReadOnlySpan<T> sorted, int position, Func<T, int> start)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (start(sorted[mid]) < position)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>A list's negation and framing cues found in one article, computed once per article and list.</summary>
    private sealed class Cues
    {
        public List<(int First, int Last, CompiledPhrase Phrase)> Negations { get; private set; } = [];

        private readonly Dictionary<int, string> _framingBySentence = [];

        /// <summary>Words in the longest negation cue found, less one (how far before its end a cue may start).</summary>
        public int LongestNegation { get; private set; }

        public static Cues Find(ArticleText text, CompiledList list)
        {
            var cues = new Cues { Negations = SortedByFirst(Occurrences(text, list.Negation)) };
            foreach (var (first, last, _) in cues.Negations)
            {
                cues.LongestNegation = Math.Max(cues.LongestNegation, last - first);
            }

            foreach (var (first, _, phrase) in Occurrences(text, list.Framing))
            {
                cues._framingBySentence.TryAdd(text.Positions[first].Sentence, phrase.Text);
            }

            for (var n = 0; n < text.NumberCount; n++)
            {
                var (pos, value) = text.Numbers[n];
                if (value >= 2 && text.YearsAgo(pos))
                {
                    cues._framingBySentence.TryAdd(text.Positions[pos].Sentence, $"history ({value.ToString(System.Globalization.CultureInfo.InvariantCulture)} years ago)");
                }
            }

            return cues;
        }

        public string? FramingIn(int sentence) => _framingBySentence.GetValueOrDefault(sentence);

        /// <summary>
        /// The first framing cue in the title or in the first sentence of the content, if any; else a year in the title
        /// at least two years before the article's date ("history (1981)").
        /// </summary>
        public string? ArticleFraming(ArticleText text, int pastYear)
        {
            for (var s = 0; s < text.SentenceCount && _framingBySentence.Count > 0; s++)
            {
                if (text.Sentences[s].Field == ArticleField.Title)
                {
                    if (FramingIn(s) is { } inTitle)
                    {
                        return inTitle;
                    }
                }
                else if (text.Sentences[s].End > text.Sentences[s].Start)
                {
                    if (FramingIn(s) is { } inLead)
                    {
                        return inLead; // the lead sentence
                    }

                    break;
                }
            }

            for (var y = 0; y < text.YearCount; y++)
            {
                var (pos, year) = text.Years[y];
                if (year <= pastYear && text.Positions[pos].Field == ArticleField.Title)
                {
                    return $"history ({year})";
                }
            }

            return null;
        }
    }

    /// <summary>The article's own words from position <paramref name="first"/> to <paramref name="last"/>.</summary>
    private static string Words(ArticleText text, int first, int last)
    {
        var p = text.Positions[first];
        return text.FieldText(p.Field)[p.Start..text.Positions[last].End];
    }

    /// <summary>The sentence around a match, shortened to about <see cref="SnippetLength"/> characters around it.</summary>
    private static string Snippet(ArticleText text, int first, int last)
    {
        var p = text.Positions[first];
        var source = text.FieldText(p.Field);
        var s = text.Sentences[p.Sentence];
        var matchStart = p.Start;
        var matchEnd = text.Positions[last].End;
        var start = s.Start;
        var end = Math.Max(s.End, matchEnd);
        if (end - start > SnippetLength)
        {
            var room = Math.Max(0, SnippetLength - (matchEnd - matchStart)) / 2;
            start = Math.Max(start, matchStart - room);
            end = Math.Min(end, matchEnd + room);
        }

        var snippet = source[start..end].Trim().Replace('\n', ' ');
        return (start > s.Start ? "…" : "") + snippet + (end < s.End ? "…" : "");
    }
}
