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

    /// <summary>
    /// Scores one article with every list in <paramref name="lists"/>. The title (its first
    /// <see cref="ArticleMessageText.MaxTitleCharacters"/> characters) is read with each piece of the content; a signal
    /// keeps its best weight and first evidence over all pieces, and the lead piece decides the article's framing.
    /// </summary>
    public static ScoreResult Score(CompiledKeywordLists lists, string? title, string? content)
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
        var framing = new string?[lists.Lists.Length];
        var cancelled = new List<CancelledMatch>();
        var any = false;
        var lead = true;
        foreach (var (start, length) in TextChunks.Split(content, ChunkCharacters))
        {
            text.Load(lists, title, start == 0 && length == content.Length ? content : content.Substring(start, length));
            // The lead piece of a long article decides the framing even when its own words match nothing.
            any |= ScorePiece(lists, text, stamps, merged, framing, lead, lead && length < content.Length, cancelled);
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
            if (severity > best || (severity == best && score > bestScore))
            {
                best = severity;
                bestScore = score;
            }
        }

        return new ScoreResult(best, Math.Round(bestScore, 2), signals, cancelled);
    }

    /// <summary>Evaluates the signals whose terms occur in the loaded piece, merging into <paramref name="merged"/>; false when none occur.</summary>
    private static bool ScorePiece(CompiledKeywordLists lists, ArticleText text, Stamps stamps, SignalMatch?[][] merged, string?[] framing, bool lead, bool moreToCome, List<CancelledMatch> cancelled)
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

        for (var l = 0; l < lists.Lists.Length && (any || moreToCome); l++)
        {
            var list = lists.Lists[l];
            var cues = Cues.Find(text, list);
            if (lead)
            {
                // A framing cue in the title or the lead sentence frames the whole article (a review, a drill, an anniversary).
                framing[l] = cues.ArticleFraming(text);
            }

            if (!any)
            {
                continue;
            }

            for (var s = 0; s < list.Signals.Length; s++)
            {
                if (stamps.Signals[list.Signals[s].Index] == generation
                    && Evaluate(text, cues, list.Definition, list.Signals[s], framing[l], cancelled, stamps, generation) is { } match)
                {
                    merged[l] ??= new SignalMatch?[list.Signals.Length];
                    merged[l][s] = Merge(merged[l][s], match);
                }
            }
        }

        return any;
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

    private static SignalMatch? Evaluate(ArticleText text, Cues cues, KeywordListDefinition list, CompiledSignal signal, string? articleFraming, List<CancelledMatch> cancelled, Stamps stamps, int generation)
    {
        var definition = signal.Definition;
        Dictionary<int, (int First, int Last)>? excludes = null;
        List<(int First, int Last, CompiledPhrase Phrase)>? reverses = null;
        var weight = 0.0;
        List<Evidence>? evidence = null;
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
                var field = text.Positions[first].Field;
                var reason = CancelReason(text, cues, unless, excludes, reverses, first, last);
                if (reason is not null)
                {
                    if (cancelled.Count < 50)
                    {
                        cancelled.Add(new CancelledMatch(definition.Id, field, Snippet(text, first, last), reason));
                    }

                    continue;
                }

                var sentenceFraming = cues.FramingIn(text.Positions[first].Sentence);
                var damp = articleFraming ?? sentenceFraming;
                var factor = articleFraming is not null ? ArticleFramingDamp : sentenceFraming is not null ? SentenceFramingDamp : 1;
                var w = definition.Weight * (field == ArticleField.Title ? definition.TitleBoost : 1) * factor;
                weight = Math.Max(weight, w);
                evidence ??= [];
                if (evidence.Count < MaxEvidencePerSignal)
                {
                    var snippet = Snippet(text, first, last);
                    if (!evidence.Exists(e => e.Text == snippet))
                    {
                        evidence.Add(new Evidence(field, snippet, RuleName(rule.Kind), damp));
                    }
                }
            }
        }

        return evidence is null ? null : new SignalMatch(definition.Id, definition.Label, list.Name, Math.Round(weight, 2), evidence);
    }

    private static string RuleName(RuleKind kind) => kind switch
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
                        if (value >= rule.Number && text.Positions[pos].Sentence == sentence && !text.FollowedByUnit(pos)
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
    private static List<(int First, int Last, CompiledPhrase Phrase)> Occurrences(ArticleText text, CompiledPhrase[] phrases)
    {
        var result = new List<(int, int, CompiledPhrase)>();
        if (phrases.Length == 0)
        {
            return result;
        }

        var found = t_cues ??= [];
        foreach (var phrase in phrases)
        {
            if (text.TermHead(phrase.Terms[phrase.Anchor]) < 0)
            {
                continue;
            }

            found.Clear();
            text.FindPhrase(phrase, found);
            foreach (var (first, last) in found)
            {
                result.Add((first, last, phrase));
            }
        }

        return result;
    }

    /// <summary>
    /// Why a match does not count, or null. Each look-up is bounded: exclusions by sentence in a dictionary, negations
    /// and reversals by position in sorted lists within their word windows, so a long article costs time in proportion
    /// to its length, not to its matches times its cues.
    /// </summary>
    private static string? CancelReason(
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
            return $"excluded by '{Words(text, excluded.First, excluded.Last)}'";
        }

        var clause = text.Positions[first].Clause;
        (int First, int Last)? negatedBy = null;
        var negations = cues.Negations;
        for (var i = LowerBound(CollectionsMarshal.AsSpan(negations), first - NegationWindow - 1 - cues.LongestNegation, static x => x.First); i < negations.Count && negations[i].First < first; i++)
        {
            // "within N words" = at most N words between the cue and the match; the longest cue explains best.
            var (cf, cl, _) = negations[i];
            if (cl < first && first - cl - 1 <= NegationWindow && text.Positions[cf].Clause == clause && text.Positions[cf].Sentence == sentence
                && (negatedBy is null || cl - cf > negatedBy.Value.Last - negatedBy.Value.First))
            {
                negatedBy = (cf, cl);
            }
        }

        if (negatedBy is { } n)
        {
            return $"negated by '{Words(text, n.First, n.Last)}'";
        }

        for (var i = LowerBound(CollectionsMarshal.AsSpan(reverses), first - ReversalWindow - MaxCueWords, static x => x.First); i < reverses.Count && reverses[i].First <= last + ReversalWindow; i++)
        {
            var (cf, cl, _) = reverses[i];
            var near = (cl < first && first - cl <= ReversalWindow) || (cf > last && cf - last <= ReversalWindow) || (cf >= first && cl <= last);
            if (near && text.Positions[cf].Sentence == sentence)
            {
                return $"reversed by '{Words(text, cf, cl)}'";
            }
        }

        return null;
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
        occurrences.Sort(static (a, b) => a.First != b.First ? a.First.CompareTo(b.First) : a.Last.CompareTo(b.Last));
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

            return cues;
        }

        public string? FramingIn(int sentence) => _framingBySentence.GetValueOrDefault(sentence);

        /// <summary>The first framing cue in the title or in the first sentence of the content, if any.</summary>
        public string? ArticleFraming(ArticleText text)
        {
            if (_framingBySentence.Count == 0)
            {
                return null;
            }

            for (var s = 0; s < text.SentenceCount; s++)
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
                    return FramingIn(s); // the lead sentence
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
