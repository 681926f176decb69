using System.Text.Json;
using Modulus.Diagnostics;

namespace Modulus.Registry;

/// <summary>Turns registry answers into words: the status and the registry's own error codes.</summary>
internal static class RegistryResponses
{
    /// <summary>
    /// "HTTP 400 (MANIFEST_INVALID: manifest invalid)". Only the status and the error list of the
    /// distribution spec are quoted: headers are never, since they may carry tokens.
    /// </summary>
    public static async Task<string> DescribeAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var status = $"HTTP {(int)response.StatusCode}";
        string body;
        try
        {
            // Only the head: an error body is quoted, never kept, and an endless one must not fill memory.
            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            var head = new byte[MaxErrorBody];
            body = System.Text.Encoding.UTF8.GetString(head, 0, await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct));
        }
        catch (Exception e) when (e is IOException or HttpRequestException or ObjectDisposedException)
        {
            return status;
        }
        var errors = ErrorsOf(body);
        return errors.Length == 0 ? status : $"{status} ({errors})";
    }

    /// <summary>The most of an error body read: the distribution spec's error lists are a few hundred bytes.</summary>
    private const int MaxErrorBody = 64 << 10;

    /// <summary>Throws <see cref="Errors.RegistryRequestFailed"/> unless the status is one of <paramref name="expected"/>.</summary>
    public static async Task ExpectAsync(HttpResponseMessage response, string what, string registry, CancellationToken ct, params System.Net.HttpStatusCode[] expected)
    {
        if (expected.Length == 0 ? response.IsSuccessStatusCode : expected.Contains(response.StatusCode)) return;
        throw new ModulusException(Errors.RegistryRequestFailed, what, registry, await DescribeAsync(response, ct));
    }

    private static string ErrorsOf(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (!document.RootElement.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Array) return string.Empty;
            var parts = errors.EnumerateArray()
                .Select(e => $"{Text(e, "code")}: {Text(e, "message")}".Trim(' ', ':'))
                .Where(p => p.Length > 0);
            var text = string.Join("; ", parts);
            return text.Length > 300 ? text[..300] + "..." : text;
        }
        catch (JsonException)
        {
            return string.Empty;
        }
    }

    private static string Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() ?? string.Empty : string.Empty;
}
