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

    /// <summary>Scores one article with every list in <paramref name="lists"/>.</summary>
    public static ScoreResult Score(CompiledKeywordLists lists, string? title, string? content)
    {
        ArgumentNullException.ThrowIfNull(lists);
        var text = t_text ??= new ArticleText();
        text.Load(lists, title ?? "", content ?? "");

        // Candidate signals: those whose terms occurred at all.
        HashSet<(int List, int Signal)>? candidates = null;
        foreach (var term in text.TouchedTerms)
        {
            foreach (var pair in lists.TermSignals[term])
            {
                (candidates ??= []).Add(pair);
            }
        }

        if (candidates is null)
        {
            return ScoreResult.Empty;
        }

        var best = Severity.None;
        var bestScore = 0.0;
        var signals = new List<SignalMatch>();
        var cancelled = new List<CancelledMatch>();
        for (var l = 0; l < lists.Lists.Length; l++)
        {
            var list = lists.Lists[l];
            // A framing cue in the title or the lead sentence frames the whole article (a review, a drill, an anniversary).
            var articleFraming = ArticleFraming(text, list.Framing);
            var sum = 0.0;
            var found = 0;
            for (var s = 0; s < list.Signals.Length; s++)
            {
                if (!candidates.Contains((l, s)))
                {
                    continue;
                }

                var match = Evaluate(text, list, list.Signals[s], articleFraming, cancelled);
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

    private static SignalMatch? Evaluate(ArticleText text, CompiledList list, CompiledSignal signal, string? articleFraming, List<CancelledMatch> cancelled)
    {
        var definition = signal.Definition;
        var weight = 0.0;
        List<Evidence>? evidence = null;
        var left = t_left ??= [];
        var right = t_right ??= [];
        foreach (var rule in signal.Rules)
        {
            foreach (var (first, last) in Matches(text, rule, left, right))
            {
                var field = text.Positions[first].Field;
                var reason = CancelReason(text, list, signal, rule, first, last);
                if (reason is not null)
                {
                    if (cancelled.Count < 50)
                    {
                        cancelled.Add(new CancelledMatch(definition.Id, field, Snippet(text, first, last), reason));
                    }

                    continue;
                }

                var sentenceFraming = SentenceCue(text, list.Framing, first);
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

        return evidence is null ? null : new SignalMatch(definition.Id, definition.Label, list.Definition.Name, Math.Round(weight, 2), evidence);
    }

    private static string RuleName(RuleKind kind) => kind switch
    {
        RuleKind.Phrase => "phrase",
        RuleKind.Near => "near",
        _ => "quantity",
    };

    /// <summary>Every (first, last) span the rule matches.</summary>
    private static IEnumerable<(int First, int Last)> Matches(ArticleText text, CompiledRule rule, List<(int, int)> left, List<(int, int)> right)
    {
        left.Clear();
        foreach (var phrase in rule.Left)
        {
            text.FindPhrase(phrase, left);
        }

        switch (rule.Kind)
        {
            case RuleKind.Phrase:
                return left.ToArray();
            case RuleKind.Near:
                if (left.Count == 0)
                {
                    return [];
                }

                right.Clear();
                foreach (var phrase in rule.Right)
                {
                    text.FindPhrase(phrase, right);
                }

                var near = new List<(int, int)>();
                foreach (var (lf, ll) in left)
                {
                    foreach (var (rf, rl) in right)
                    {
                        // "within N words": at most N words between the two sides.
                        var gap = rf > ll ? rf - ll - 1 : lf > rl ? lf - rl - 1 : 0;
                        if (gap <= rule.Number && (rule.AcrossSentences || text.Positions[lf].Sentence == text.Positions[rf].Sentence)
                            && text.Positions[lf].Field == text.Positions[rf].Field && (lf, ll) != (rf, rl))
                        {
                            near.Add((Math.Min(lf, rf), Math.Max(ll, rl)));
                        }
                    }
                }

                return near;
            default:
                var quantities = new List<(int, int)>();
                foreach (var (first, last) in left)
                {
                    var sentence = text.Positions[first].Sentence;
                    for (var n = 0; n < text.NumberCount; n++)
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

    private static string? CancelReason(ArticleText text, CompiledList list, CompiledSignal signal, CompiledRule rule, int first, int last)
    {
        var sentence = text.Positions[first].Sentence;
        var cues = t_cues ??= [];
        foreach (var exclude in rule.Unless.Concat(signal.Excludes))
        {
            cues.Clear();
            text.FindPhrase(exclude, cues);
            foreach (var (cf, _) in cues)
            {
                if (text.Positions[cf].Sentence == sentence)
                {
                    return $"excluded by '{Words(text, cf, cf + exclude.Terms.Length - 1)}'";
                }
            }
        }

        var clause = text.Positions[first].Clause;
        CompiledPhrase? negatedBy = null;
        var negatedAt = 0;
        foreach (var negation in list.Negation)
        {
            cues.Clear();
            text.FindPhrase(negation, cues);
            foreach (var (cf, cl) in cues)
            {
                // "within N words" = at most N words between the cue and the match; the longest cue explains best.
                if (cl < first && first - cl - 1 <= NegationWindow && text.Positions[cf].Clause == clause && text.Positions[cf].Sentence == sentence
                    && (negatedBy is null || negation.Terms.Length > negatedBy.Terms.Length))
                {
                    negatedBy = negation;
                    negatedAt = cf;
                }
            }
        }

        if (negatedBy is not null)
        {
            return $"negated by '{Words(text, negatedAt, negatedAt + negatedBy.Terms.Length - 1)}'";
        }

        foreach (var reverse in signal.Reverses)
        {
            cues.Clear();
            text.FindPhrase(reverse, cues);
            foreach (var (cf, cl) in cues)
            {
                var near = (cl < first && first - cl <= ReversalWindow) || (cf > last && cf - last <= ReversalWindow) || (cf >= first && cl <= last);
                if (near && text.Positions[cf].Sentence == sentence)
                {
                    return $"reversed by '{Words(text, cf, cl)}'";
                }
            }
        }

        return null;
    }

    /// <summary>The first framing cue in the same sentence as <paramref name="pos"/>, if any.</summary>
    private static string? SentenceCue(ArticleText text, CompiledPhrase[] cuesToFind, int pos)
    {
        var sentence = text.Positions[pos].Sentence;
        var cues = t_cues ??= [];
        foreach (var cue in cuesToFind)
        {
            cues.Clear();
            text.FindPhrase(cue, cues);
            foreach (var (cf, _) in cues)
            {
                if (text.Positions[cf].Sentence == sentence)
                {
                    return cue.Text;
                }
            }
        }

        return null;
    }

    /// <summary>The first framing cue in the title or in the first sentence of the content, if any.</summary>
    private static string? ArticleFraming(ArticleText text, CompiledPhrase[] cuesToFind)
    {
        var lead = -1;
        for (var s = 0; s < text.SentenceCount; s++)
        {
            if (text.Sentences[s].Field == ArticleField.Content && text.Sentences[s].End > text.Sentences[s].Start)
            {
                lead = s;
                break;
            }
        }

        var cues = t_cues ??= [];
        foreach (var cue in cuesToFind)
        {
            cues.Clear();
            text.FindPhrase(cue, cues);
            foreach (var (cf, _) in cues)
            {
                if (text.Positions[cf].Field == ArticleField.Title || text.Positions[cf].Sentence == lead)
                {
                    return cue.Text;
                }
            }
        }

        return null;
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
