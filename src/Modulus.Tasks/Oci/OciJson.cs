using System.Text.Encodings.Web;
using System.Text.Json;
using Modulus.Diagnostics;

namespace Modulus.Oci;

/// <summary>
/// The one place manifests, indexes and configs become bytes. Output is compact and its property
/// order fixed by the models, so the same image always serializes to the same bytes (and digest).
/// </summary>
public static class OciJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = false,
        // Registries and other tools write '+' and '<' literally; escaping them would change digests
        // of round-tripped documents for no benefit.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    /// <summary>Parses <paramref name="bytes"/>; <paramref name="what"/> names the source in errors.</summary>
    public static T Deserialize<T>(ReadOnlySpan<byte> bytes, string what)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(bytes, Options)
                ?? throw new ModulusException(Errors.InvalidJson, what, typeof(T).Name, "it is null");
        }
        catch (JsonException e)
        {
            throw new ModulusException(Errors.InvalidJson, e, what, Describe(typeof(T)), e.Message);
        }
        catch (ModulusException e) when (e.Error == Errors.InvalidDigest)
        {
            throw new ModulusException(Errors.InvalidJson, e, what, Describe(typeof(T)), e.Message);
        }
    }

    /// <summary>Reads only the mediaType field, to tell a manifest from an index.</summary>
    public static string? PeekMediaType(ReadOnlySpan<byte> bytes, string what)
    {
        try
        {
            using var doc = JsonDocument.Parse(bytes.ToArray());
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new ModulusException(Errors.InvalidJson, what, "manifest or index", "it is not a JSON object");
            if (doc.RootElement.TryGetProperty("mediaType", out var mt) && mt.ValueKind == JsonValueKind.String)
                return mt.GetString();
            // An OCI index may omit mediaType; its manifests array gives it away.
            if (doc.RootElement.TryGetProperty("manifests", out _)) return MediaTypes.OciIndex;
            if (doc.RootElement.TryGetProperty("layers", out _)) return MediaTypes.OciManifest;
            return null;
        }
        catch (JsonException e)
        {
            throw new ModulusException(Errors.InvalidJson, e, what, "manifest or index", e.Message);
        }
    }

    private static string Describe(Type t) => t == typeof(ImageIndex) ? "image index" : t == typeof(ImageManifest) ? "image manifest" : t.Name;
}
