using System.Globalization;

namespace Alerts.Core.Scoring;

/// <summary>
/// Parses the keyword-list language (docs/keyword-lists.md): top-level <c>key: value</c> lines, <c>signal: id</c> blocks
/// whose fields are indented, <c>#</c> comments. Every problem is reported with its line and column; parsing goes on
/// after an error so that an admin sees all of them at once.
/// </summary>
public static class KeywordListParser
{
    private static readonly HashSet<string> Languages = ["en", "fr", "es", "pt", "de", "it", "ru", "uk", "ar", "fa", "tr"];
    private const int MinPrefixLength = 3;

    /// <summary>Parses and validates <paramref name="text"/>.</summary>
    /// <exception cref="KeywordListException">The list has errors.</exception>
    public static KeywordListDefinition Parse(string text)
    {
        var (definition, errors) = TryParse(text);
        return errors.Count > 0 ? throw new KeywordListException(errors) : definition!;
    }

    /// <summary>Parses and validates; the definition is null when there are errors.</summary>
    public static (KeywordListDefinition? Definition, IReadOnlyList<ListError> Errors) TryParse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var state = new State();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            ParseLine(state, lines[i], i + 1);
        }

        state.EndSignal();
        if (state.Name is null)
        {
            state.Error(1, 1, "The list needs a name: add 'list: <name>'.");
        }

        if (state.Thresholds is null && !state.ThresholdsGiven)
        {
            state.Error(1, 1, "The list needs thresholds: add 'thresholds: watch 2, warning 4, critical 10'.");
        }

        if (state.Signals.Count == 0)
        {
            state.Error(Math.Max(1, lines.Length), 1, "The list has no signals: add at least one 'signal: <id>' block.");
        }

        if (state.Errors.Count > 0)
        {
            return (null, state.Errors.OrderBy(e => e.Line).ThenBy(e => e.Column).ToList());
        }

        return (new KeywordListDefinition
        {
            Name = state.Name!,
            Description = state.Description,
            Version = state.Version,
            Thresholds = state.Thresholds!,
            Combine = state.Combine,
            Framing = state.Framing,
            Negation = state.Negation,
            Signals = state.Signals,
        }, []);
    }

    private static void ParseLine(State state, string raw, int lineNo)
    {
        var line = StripComment(raw);
        if (line.Trim().Length == 0)
        {
            return;
        }

        var indent = line.Length - line.TrimStart().Length;
        var colon = line.IndexOf(':', indent);
        if (colon < 0)
        {
            state.Error(lineNo, indent + 1, "Expected 'field: value'.");
            return;
        }

        var key = line[indent..colon].Trim();
        var valueStart = colon + 1;
        while (valueStart < line.Length && line[valueStart] == ' ')
        {
            valueStart++;
        }

        var value = line[valueStart..].TrimEnd();
        var valueColumn = valueStart + 1;
        if (indent == 0)
        {
            ParseTopLevel(state, key, value, lineNo, valueColumn);
        }
        else if (state.Current is null)
        {
            state.Error(lineNo, indent + 1, $"'{key}' is indented but belongs to no signal: start a block with 'signal: <id>'.");
        }
        else
        {
            ParseSignalField(state, state.Current, key, value, lineNo, indent + 1, valueColumn);
        }
    }

    private static string StripComment(string line)
    {
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '#' && (i == 0 || char.IsWhiteSpace(line[i - 1])))
            {
                return line[..i];
            }
        }

        return line;
    }

    private static void ParseTopLevel(State state, string key, string value, int line, int column)
    {
        switch (key)
        {
            case "list":
                state.EndSignal();
                if (!IsIdentifier(value))
                {
                    state.Error(line, column, "The list name must be letters, digits and hyphens.");
                }
                else if (state.Name is not null)
                {
                    state.Error(line, 1, "The list name is given twice.");
                }
                else
                {
                    state.Name = value;
                }

                break;
            case "description":
                state.EndSignal();
                state.Description = value;
                break;
            case "version":
                state.EndSignal();
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version < 1)
                {
                    state.Error(line, column, "The version must be a whole number of at least 1.");
                }
                else
                {
                    state.Version = version;
                }

                break;
            case "thresholds":
                state.EndSignal();
                state.ThresholdsGiven = true; // when they are wrong, that error says so: not also "needs thresholds"
                state.Thresholds = ParseThresholds(state, value, line, column);
                break;
            case "combine":
                state.EndSignal();
                if (!TryNumber(value, out var combine) || combine < 0 || combine > 2)
                {
                    state.Error(line, column, "combine must be a number from 0 to 2.");
                }
                else
                {
                    state.Combine = combine;
                }

                break;
            case "framing":
                state.EndSignal();
                state.Framing.AddRange(ParseAlternatives(state, value, line, column, allowPrefix: true));
                break;
            case "negation":
                state.EndSignal();
                state.Negation.AddRange(ParseAlternatives(state, value, line, column, allowPrefix: true));
                break;
            case "signal":
                state.EndSignal();
                if (!IsIdentifier(value))
                {
                    state.Error(line, column, "A signal id must be letters, digits and hyphens, e.g. 'curfew' or 'martial-law'.");
                }
                else if (!state.SignalIds.Add(value))
                {
                    state.Error(line, column, $"Duplicate signal id '{value}'.");
                }

                state.Current = new SignalBuilder(value, line);
                break;
            default:
                state.Error(line, 1, $"Unknown field '{key}'. Top-level fields: list, description, version, thresholds, combine, framing, negation, signal.");
                break;
        }
    }

    private static void ParseSignalField(State state, SignalBuilder signal, string key, string value, int line, int keyColumn, int column)
    {
        switch (key)
        {
            case "label":
                if (value.Length == 0)
                {
                    state.Error(line, column, "The label is empty.");
                }

                signal.Label = value;
                break;
            case "weight":
                signal.WeightGiven = true;
                if (!TryNumber(value, out var weight) || weight <= 0 || weight > 100)
                {
                    state.Error(line, column, "weight must be a number greater than 0 and at most 100.");
                }
                else
                {
                    signal.Weight = weight;
                }

                break;
            case "title-boost":
                if (!TryNumber(value, out var boost) || boost < 1 || boost > 5)
                {
                    state.Error(line, column, "title-boost must be a number from 1 to 5.");
                }
                else
                {
                    signal.TitleBoost = boost;
                }

                break;
            case "languages":
                var col = column;
                foreach (var part in value.Split(' '))
                {
                    if (part.Length > 0 && !Languages.Contains(part))
                    {
                        state.Error(line, col, $"Unknown language '{part}': use en, fr, es, pt, de, it, ru, uk, ar, fa or tr.");
                    }
                    else if (part.Length > 0)
                    {
                        signal.Languages.Add(part);
                    }

                    col += part.Length + 1;
                }

                break;
            case "phrase":
                var (phraseText, unless) = SplitUnless(state, value, line, column);
                var phrases = ParseAlternatives(state, phraseText, line, column, allowPrefix: true);
                if (phrases.Count > 0)
                {
                    signal.Rules.Add(new PhraseRule(phrases, line) { Unless = unless });
                }

                break;
            case "exclude":
                signal.Excludes.AddRange(ParseAlternatives(state, value, line, column, allowPrefix: true));
                break;
            case "exclude article":
                signal.ArticleExcludes.AddRange(ParseAlternatives(state, value, line, column, allowPrefix: true));
                break;
            case "reverse":
                signal.Reverses.AddRange(ParseAlternatives(state, value, line, column, allowPrefix: true));
                break;
            default:
                if (key.StartsWith("decisive ", StringComparison.Ordinal))
                {
                    // A decisive rule: the same rule kinds, each match of which makes the article critical on its own.
                    var rules = signal.Rules.Count;
                    var rest = key["decisive ".Length..].TrimStart();
                    var restColumn = keyColumn + key.Length - rest.Length;
                    if (rest is "decisive" || rest.StartsWith("decisive ", StringComparison.Ordinal))
                    {
                        state.Error(line, restColumn, "'decisive' is written once, before the rule.");
                        break;
                    }

                    ParseSignalField(state, signal, rest, value, line, restColumn, column);
                    if (signal.Rules.Count == rules + 1)
                    {
                        signal.Rules[^1] = signal.Rules[^1] with { Decisive = true };
                    }
                    else if (signal.Rules.Count == rules && !(rest == "phrase" || rest.StartsWith("near", StringComparison.Ordinal) || rest.StartsWith("quantity", StringComparison.Ordinal)))
                    {
                        state.Error(line, keyColumn, "Only a rule can be decisive: write 'decisive phrase:', 'decisive near N:' or 'decisive quantity >= N:'.");
                    }
                }
                else if (key.StartsWith("near", StringComparison.Ordinal))
                {
                    ParseNear(state, signal, key, value, line, keyColumn, column);
                }
                else if (key.StartsWith("quantity", StringComparison.Ordinal))
                {
                    ParseQuantity(state, signal, key, value, line, keyColumn, column);
                }
                else
                {
                    state.Error(line, keyColumn, $"Unknown signal field '{key}'. Signal fields: label, weight, languages, title-boost, phrase, near N, quantity >= N, decisive (before a rule), exclude, exclude article, reverse.");
                }

                break;
        }
    }

    private static void ParseNear(State state, SignalBuilder signal, string key, string value, int line, int keyColumn, int column)
    {
        var words = key.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var across = words.Length == 3 && words[2] == "across-sentences";
        if (words[0] != "near" || words.Length < 2 || words.Length > 3 || (words.Length == 3 && !across)
            || !int.TryParse(words[1], NumberStyles.None, CultureInfo.InvariantCulture, out var distance) || distance < 1 || distance > 30)
        {
            state.Error(line, keyColumn, "Bad proximity: write 'near N: terms ; terms' with N from 1 to 30 (optionally 'near N across-sentences:').");
            return;
        }

        (value, var unless) = SplitUnless(state, value, line, column);
        var separator = value.IndexOf(';', StringComparison.Ordinal);
        if (separator < 0)
        {
            state.Error(line, column, "Bad proximity: separate the two sides with ';'.");
            return;
        }

        var left = ParseAlternatives(state, value[..separator], line, column, allowPrefix: true);
        var right = ParseAlternatives(state, value[(separator + 1)..], line, column + separator + 1, allowPrefix: true);
        if (left.Count > 0 && right.Count > 0)
        {
            signal.Rules.Add(new NearRule(distance, across, left, right, line) { Unless = unless });
        }
    }

    private static void ParseQuantity(State state, SignalBuilder signal, string key, string value, int line, int keyColumn, int column)
    {
        var words = key.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length != 3 || words[0] != "quantity" || words[1] != ">=" || !TryNumber(words[2], out var minimum) || minimum < 1 || minimum > 1_000_000)
        {
            state.Error(line, keyColumn, "Bad quantity: write 'quantity >= N: terms' with N from 1 to 1000000.");
            return;
        }

        (value, var unless) = SplitUnless(state, value, line, column);
        var terms = ParseAlternatives(state, value, line, column, allowPrefix: true);
        if (terms.Count > 0)
        {
            signal.Rules.Add(new QuantityRule(minimum, terms, line) { Unless = unless });
        }
    }

    /// <summary>Splits "terms unless phrases" into the terms and the rule's own exclusions.</summary>
    private static (string Terms, List<PhraseSpec> Unless) SplitUnless(State state, string value, int line, int column)
    {
        var at = value.IndexOf(" unless ", StringComparison.Ordinal);
        if (at < 0)
        {
            return (value, []);
        }

        var unlessColumn = column + at + " unless ".Length;
        return (value[..at], ParseAlternatives(state, value[(at + " unless ".Length)..], line, unlessColumn, allowPrefix: true));
    }

    private static SeverityThresholds? ParseThresholds(State state, string value, int line, int column)
    {
        double? watch = null, warning = null, critical = null;
        var offset = 0;
        var ok = true;
        foreach (var part in value.Split(','))
        {
            var partColumn = column + offset + (part.Length - part.TrimStart().Length);
            offset += part.Length + 1;
            var words = part.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length != 2 || !TryNumber(words[1], out var number) || number <= 0 || number > 1000)
            {
                state.Error(line, partColumn, "Each threshold is a name and a number greater than 0 and at most 1000, e.g. 'warning 4'.");
                ok = false;
                continue;
            }

            switch (words[0])
            {
                case "watch": watch = number; break;
                case "warning": warning = number; break;
                case "critical": critical = number; break;
                default:
                    state.Error(line, partColumn, $"Unknown severity '{words[0]}': use watch, warning and critical.");
                    ok = false;
                    break;
            }
        }

        if (!ok)
        {
            return null;
        }

        if (watch is null || warning is null || critical is null)
        {
            state.Error(line, column, "Give all three thresholds: watch, warning and critical.");
            return null;
        }

        if (!(watch < warning && warning < critical))
        {
            state.Error(line, column, "Thresholds must rise: watch < warning < critical.");
            return null;
        }

        return new SeverityThresholds(watch.Value, warning.Value, critical.Value);
    }

    /// <summary>Parses <c>a b | c* d | e</c> into phrases, reporting each problem at its column.</summary>
    internal static List<PhraseSpec> ParseAlternatives(State state, string value, int line, int column, bool allowPrefix)
    {
        var result = new List<PhraseSpec>();
        var offset = 0;
        foreach (var part in value.Split('|'))
        {
            var partColumn = column + offset + (part.Length - part.TrimStart().Length);
            offset += part.Length + 1;
            var text = part.Trim();
            if (text.Length == 0)
            {
                state.Error(line, partColumn, "Empty phrase.");
                continue;
            }

            var bad = text.IndexOfAny(['(', ')', '[', ']', '{', '}', '?', '+', '\\', '^', '$', '.', '"', ';', ':', '/', '=', '<', '>', '~', '!']);
            if (bad >= 0)
            {
                state.Error(line, partColumn + bad, $"Unsupported character '{text[bad]}' in a phrase: phrases are words, with '*' at the end of a word for a prefix.");
                continue;
            }

            var tokens = new List<TokenSpec>();
            var valid = true;
            var wordStart = 0;
            foreach (var word in text.Split(' '))
            {
                var wordColumn = partColumn + wordStart;
                wordStart += word.Length + 1;
                if (word.Length == 0)
                {
                    continue;
                }

                var star = word.IndexOf('*', StringComparison.Ordinal);
                var isPrefix = star >= 0;
                if (isPrefix && (star != word.Length - 1 || !allowPrefix))
                {
                    state.Error(line, wordColumn + star, "'*' may only end a word (a prefix such as 'suspend*').");
                    valid = false;
                    continue;
                }

                var normalized = TextNormalizer.Tokens(isPrefix ? word[..^1] : word);
                if (normalized.Count == 0)
                {
                    state.Error(line, wordColumn, $"'{word}' has no letters or digits.");
                    valid = false;
                    continue;
                }

                for (var i = 0; i < normalized.Count; i++)
                {
                    var prefix = isPrefix && i == normalized.Count - 1;
                    if (prefix && normalized[i].Length < MinPrefixLength)
                    {
                        state.Error(line, wordColumn, $"A prefix needs at least {MinPrefixLength} letters before '*'.");
                        valid = false;
                    }

                    tokens.Add(new TokenSpec(normalized[i], prefix));
                }
            }

            if (tokens.Count > 8)
            {
                state.Error(line, partColumn, "A phrase has at most 8 words.");
                valid = false;
            }

            if (valid && tokens.Count > 0)
            {
                result.Add(new PhraseSpec(tokens, text, line, partColumn));
            }
        }

        return result;
    }

    /// <summary>Parses built-in cue lists (trusted text); throws if they are malformed.</summary>
    internal static List<PhraseSpec> ParseBuiltIn(string alternatives)
    {
        var state = new State();
        var phrases = ParseAlternatives(state, alternatives, 0, 0, allowPrefix: true);
        return state.Errors.Count == 0 ? phrases : throw new KeywordListException(state.Errors);
    }

    private static bool TryNumber(string value, out double number) =>
        double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out number);

    private static bool IsIdentifier(string value) =>
        value.Length is > 0 and <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') && char.IsAsciiLetterOrDigit(value[0]);

    internal sealed class State
    {
        public List<ListError> Errors { get; } = [];
        public string? Name { get; set; }
        public string Description { get; set; } = "";
        public int Version { get; set; } = 1;
        public SeverityThresholds? Thresholds { get; set; }
        public bool ThresholdsGiven { get; set; }
        public double Combine { get; set; } = 0.25;
        public List<PhraseSpec> Framing { get; } = [];
        public List<PhraseSpec> Negation { get; } = [];
        public List<SignalDefinition> Signals { get; } = [];
        public HashSet<string> SignalIds { get; } = new(StringComparer.Ordinal);
        public SignalBuilder? Current { get; set; }

        public void Error(int line, int column, string message) => Errors.Add(new ListError(line, column, message));

        public void EndSignal()
        {
            if (Current is not { } s)
            {
                return;
            }

            Current = null;
            if (s.Label is null)
            {
                Error(s.Line, 1, $"Signal '{s.Id}' needs a label.");
            }

            if (s.Weight is null && !s.WeightGiven)
            {
                Error(s.Line, 1, $"Signal '{s.Id}' needs a weight.");
            }

            if (s.Rules.Count == 0)
            {
                Error(s.Line, 1, $"Signal '{s.Id}' has no match rules: add phrase, near or quantity lines.");
            }

            Signals.Add(new SignalDefinition
            {
                Id = s.Id,
                Label = s.Label ?? s.Id,
                Weight = s.Weight ?? 0,
                Languages = s.Languages,
                TitleBoost = s.TitleBoost,
                Rules = s.Rules,
                Excludes = s.Excludes,
                ArticleExcludes = s.ArticleExcludes,
                Reverses = s.Reverses,
                Line = s.Line,
            });
        }
    }

    internal sealed class SignalBuilder(string id, int line)
    {
        public string Id { get; } = id;
        public int Line { get; } = line;
        public string? Label { get; set; }
        public double? Weight { get; set; }
        public bool WeightGiven { get; set; }
        public double TitleBoost { get; set; } = 1.5;
        public List<string> Languages { get; } = [];
        public List<RuleDefinition> Rules { get; } = [];
        public List<PhraseSpec> Excludes { get; } = [];
        public List<PhraseSpec> ArticleExcludes { get; } = [];
        public List<PhraseSpec> Reverses { get; } = [];
    }
}
