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

        try
        {
            var value = JsonSerializer.Deserialize<T>(body, Options);
            return value is null ? (null, Problems.Result(400, "Missing body", "Send a JSON object.")) : (value, null);
        }
        catch (JsonException ex)
        {
            return (null, Problems.Result(400, "Malformed JSON", ex.Message));
        }
    }
}
