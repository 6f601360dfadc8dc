using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using System.Text.Json;

namespace Alerts.Core.Texts;

/// <summary>
/// The words subscribers read (emails, their pages, signal labels) in one language, with how that language writes
/// dates and which way it runs. One file per language in <c>Texts/Languages/{code}.json</c>, embedded in the assembly.
/// </summary>
public sealed class LanguageTexts
{
    internal LanguageTexts(string code, string name, bool rightToLeft, CultureInfo culture, string dateTimeFormat,
        FrozenDictionary<string, string> signals, FrozenDictionary<string, string> email, FrozenDictionary<string, string> page)
    {
        Code = code;
        Name = name;
        RightToLeft = rightToLeft;
        Culture = culture;
        DateTimeFormat = dateTimeFormat;
        Signals = signals;
        Email = email;
        Page = page;
    }

    /// <summary>ISO 639-1 code: en, fr, ar…</summary>
    public string Code { get; }

    /// <summary>The language's own name ("Deutsch", "العربية"), for a language picker.</summary>
    public string Name { get; }

    /// <summary>Written right to left (Arabic, Persian): pages and emails carry <c>dir="rtl"</c>.</summary>
    public bool RightToLeft { get; }

    /// <summary><c>rtl</c> or <c>ltr</c>, for a <c>dir</c> attribute.</summary>
    public string Direction => RightToLeft ? "rtl" : "ltr";

    /// <summary><c>&lt;html lang="ar" dir="rtl"&gt;</c>: the opening tag of a page or email in this language.</summary>
    public string HtmlStart => "<html lang=\"" + Code + "\" dir=\"" + Direction + "\">";

    /// <summary>The culture that formats dates, weekdays and numbers (its calendar too: Persian dates for fa).</summary>
    public CultureInfo Culture { get; }

    /// <summary>The pattern of a date with its time ("d MMMM yyyy, HH:mm"; "d 'de' MMMM 'de' yyyy, HH:mm").</summary>
    public string DateTimeFormat { get; }

    /// <summary>The default signals' labels, by signal id.</summary>
    public FrozenDictionary<string, string> Signals { get; }

    /// <summary>The emails' words.</summary>
    public FrozenDictionary<string, string> Email { get; }

    /// <summary>The subscriber pages' words.</summary>
    public FrozenDictionary<string, string> Page { get; }

    /// <summary><paramref name="at"/> as this language writes a date and time.</summary>
    public string FormatDateTime(DateTimeOffset at) => Format(at, DateTimeFormat);

    /// <summary>
    /// <paramref name="at"/> in <paramref name="format"/> and this language's culture; a date its calendar cannot write
    /// (the Persian calendar starts in 622: a feed's "0001-01-01" date) in ISO form instead of failing.
    /// </summary>
    public string Format(DateTimeOffset at, string format)
    {
        var calendar = Culture.Calendar;
        return at.DateTime >= calendar.MinSupportedDateTime && at.DateTime <= calendar.MaxSupportedDateTime
            ? at.ToString(format, Culture)
            : at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// Every language subscribers can choose, loaded once from the embedded files. English is the fallback for an unknown
/// or missing code; every file has every key English has (checked when loading, so a missing word fails at start).
/// </summary>
public static class TextCatalog
{
    private const string Prefix = "Alerts.Core.Texts.Languages.";

    private static readonly Lazy<FrozenDictionary<string, LanguageTexts>> All = new(Load);

    /// <summary>The languages' codes, English first, then alphabetical.</summary>
    public static IReadOnlyList<string> Languages => [.. All.Value.Keys.OrderBy(c => c == "en" ? "" : c, StringComparer.Ordinal)];

    /// <summary>Whether <paramref name="code"/> is a language subscribers can choose.</summary>
    public static bool Has([NotNullWhen(true)] string? code) => code is not null && All.Value.ContainsKey(code);

    /// <summary>The texts of <paramref name="code"/>, or English when it is unknown or null.</summary>
    public static LanguageTexts For(string? code) => code is not null && All.Value.TryGetValue(code, out var texts) ? texts : All.Value["en"];

    private static FrozenDictionary<string, LanguageTexts> Load()
    {
        var assembly = typeof(TextCatalog).Assembly;
        var files = assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal)).ToList();
        var loaded = files.ToDictionary(n => n[Prefix.Length..^".json".Length], n => Parse(assembly, n), StringComparer.Ordinal);
        if (!loaded.TryGetValue("en", out var english))
        {
            throw new InvalidOperationException("The English texts (Texts/Languages/en.json) are missing from Alerts.Core.");
        }

        foreach (var (code, texts) in loaded)
        {
            Check(code, "signals", english.Signals, texts.Signals);
            Check(code, "email", english.Email, texts.Email);
            Check(code, "page", english.Page, texts.Page);
        }

        return loaded.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static void Check(string code, string section, FrozenDictionary<string, string> english, FrozenDictionary<string, string> texts)
    {
        var missing = english.Keys.Where(k => !texts.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"Texts/Languages/{code}.json: \"{section}\" lacks {string.Join(", ", missing)}.");
        }
    }

    private static LanguageTexts Parse(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var document = JsonDocument.Parse(stream);
        var root = document.RootElement;
        var code = resource[Prefix.Length..^".json".Length];
        string Text(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new InvalidOperationException($"Texts/Languages/{code}.json: \"{name}\" is missing or not a string.");
        FrozenDictionary<string, string> Section(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? value.EnumerateObject().ToFrozenDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal)
            : throw new InvalidOperationException($"Texts/Languages/{code}.json: \"{name}\" is missing or not an object.");

        var direction = Text("direction");
        if (direction is not ("ltr" or "rtl"))
        {
            throw new InvalidOperationException($"Texts/Languages/{code}.json: \"direction\" is \"{direction}\", not ltr or rtl.");
        }

        return new LanguageTexts(code, Text("name"), direction == "rtl", CultureInfo.GetCultureInfo(Text("culture")), Text("datetime"),
            Section("signals"), Section("email"), Section("page"));
    }
}
