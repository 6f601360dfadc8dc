using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;

namespace Alerts.Infrastructure.Web;

/// <summary>The API's JSON: camelCase names, enums as camelCase strings, no nulls written.</summary>
public static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static JsonResult Result(object? value, int status = 200) => new(value, Options) { StatusCode = status, ContentType = "application/json; charset=utf-8" };

    /// <summary>Reads a JSON body of at most <paramref name="limit"/> bytes; on failure, the problem to return.</summary>
    public static async Task<(T? Value, IActionResult? Problem)> ReadAsync<T>(Microsoft.AspNetCore.Http.HttpRequest request, int limit, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!(request.ContentType ?? "").StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Problems.Result(415, "Unsupported media type", "Send application/json."));
        }

        var body = await Problems.ReadBodyAsync(request, limit, cancellationToken);
        if (body is null)
        {
            return (null, Problems.Result(413, "Request body too large", $"At most {limit} bytes."));
        }

        return Parse<T>(body, Options);
    }

    /// <summary>A JSON body as <typeparamref name="T"/>; on failure, the 400 problem to return (no server type names in it).</summary>
    public static (T? Value, IActionResult? Problem) Parse<T>(byte[] body, JsonSerializerOptions options)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            // A UTF-8 byte order mark is allowed in front of JSON text (RFC 8259 §8.1 lets a parser ignore it).
            var text = body.AsSpan().StartsWith(Utf8Bom) ? body.AsSpan(Utf8Bom.Length) : body.AsSpan();
            var value = JsonSerializer.Deserialize<T>(text, options);
            return value is null ? (null, Problems.Result(400, "Missing body", "Send a JSON object.")) : (value, null);
        }
        catch (JsonException ex)
        {
            return (null, Problems.Result(400, "Malformed JSON", Describe(ex)));
        }
    }

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>Where the body went wrong, in the caller's terms: the JSON path and position, never the server's type names.</summary>
    internal static string Describe(JsonException error)
    {
        var where = error.LineNumber is { } line ? $" at line {line + 1}, byte {(error.BytePositionInLine ?? 0) + 1}" : "";
        return string.IsNullOrEmpty(error.Path) || error.Path == "$"
            ? $"The body is not a valid JSON object{where}."
            : $"The value of {error.Path}{where} is not valid JSON or not of the expected type (text, number, true/false, list or object).";
    }
}
