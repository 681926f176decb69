using System.Text.Json;
using System.Text.Json.Serialization;

namespace Modulus.BuildCache;

/// <summary>
/// The small JSON blob beside a cached layer: the cache's format, the step and key it answers,
/// the layer's diffID (checked against the tar before the layer is used), and what the step needs
/// of the layer beyond its bytes (the Debian step: the installed packages, for the SBOM).
/// </summary>
internal sealed record CacheRecord(
    [property: JsonPropertyName("format")] int Format,
    [property: JsonPropertyName("step")] string Step,
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("diffId")] string DiffId,
    [property: JsonPropertyName("data")] JsonElement Data)
{
    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this);

    /// <summary>The record in <paramref name="bytes"/>; null when they are not one.</summary>
    public static CacheRecord? TryRead(byte[] bytes)
    {
        try
        {
            return JsonSerializer.Deserialize<CacheRecord>(bytes) is { Step: not null, Key: not null, DiffId: not null } record ? record : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Only the format, from a record whose other fields may be another format's.</summary>
    public static int? FormatOf(byte[] bytes)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("format", out var format)
                && format.TryGetInt32(out var value) ? value : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
