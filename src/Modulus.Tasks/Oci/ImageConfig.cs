using System.Text.Json;
using System.Text.Json.Nodes;
using Modulus.Diagnostics;

namespace Modulus.Oci;

/// <summary>
/// An image configuration (OCI config v1, which Docker's config is a superset of). Held as a JSON
/// tree so that fields Modulus does not model (Healthcheck, Shell, OnBuild, ...) survive a rebuild
/// on top of a base image unchanged. Instances are immutable: every change returns a new config.
/// </summary>
public sealed class ImageConfig
{
    private readonly JsonObject _root;

    private ImageConfig(JsonObject root) => _root = root;

    public static ImageConfig Parse(ReadOnlySpan<byte> bytes, string what)
    {
        try
        {
            return JsonNode.Parse(bytes.ToArray()) is JsonObject root
                ? new ImageConfig(root)
                : throw new ModulusException(Errors.InvalidJson, what, "image config", "it is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new ModulusException(Errors.InvalidJson, e, what, "image config", e.Message);
        }
    }

    /// <summary>The config of an empty image for <paramref name="platform"/>.</summary>
    public static ImageConfig Empty(Platform platform)
    {
        var root = new JsonObject
        {
            ["architecture"] = platform.Architecture,
            ["os"] = platform.Os,
        };
        if (platform.Variant is not null) root["variant"] = platform.Variant;
        root["config"] = new JsonObject();
        root["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray() };
        root["history"] = new JsonArray();
        return new ImageConfig(root);
    }

    public Platform Platform => new(
        GetString(_root, "architecture") ?? "amd64",
        GetString(_root, "os") ?? "linux",
        GetString(_root, "variant"),
        GetString(_root, "os.version"));

    public IReadOnlyList<Digest> DiffIds =>
        (_root["rootfs"]?["diff_ids"] as JsonArray)?.Select(n => Digest.Parse(n!.GetValue<string>())).ToArray() ?? [];

    public string? User => GetString(Section, "User");

    public string? WorkingDir => GetString(Section, "WorkingDir");

    public string? StopSignal => GetString(Section, "StopSignal");

    public IReadOnlyList<string>? Entrypoint => GetStrings(Section, "Entrypoint");

    public IReadOnlyList<string>? Cmd => GetStrings(Section, "Cmd");

    /// <summary>Environment as NAME=value strings, in image order.</summary>
    public IReadOnlyList<string> Env => GetStrings(Section, "Env") ?? [];

    public IReadOnlyList<string> Volumes => GetKeys(Section, "Volumes");

    public IReadOnlyList<string> ExposedPorts => GetKeys(Section, "ExposedPorts");

    public IReadOnlyDictionary<string, string> Labels =>
        (Section?["Labels"] as JsonObject)?.ToDictionary(p => p.Key, p => p.Value?.GetValue<string>() ?? string.Empty, StringComparer.Ordinal)
        ?? new Dictionary<string, string>();

    /// <summary>The value of an environment variable, or null.</summary>
    public string? GetEnv(string name) =>
        Env.Where(e => e.StartsWith(name + "=", StringComparison.Ordinal)).Select(e => e[(name.Length + 1)..]).LastOrDefault();

    public int HistoryCount => (_root["history"] as JsonArray)?.Count ?? 0;

    /// <summary>Returns a copy with <paramref name="edit"/> applied to the JSON tree.</summary>
    public ImageConfig With(Action<JsonObject> edit)
    {
        var copy = (JsonObject)_root.DeepClone();
        edit(copy);
        return new ImageConfig(copy);
    }

    /// <summary>The JSON bytes, compact. Property order is the base image's, then appended ones.</summary>
    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(_root, OciJson.Options);

    private JsonObject? Section => _root["config"] as JsonObject;

    private static string? GetString(JsonObject? o, string name) =>
        o?[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static IReadOnlyList<string>? GetStrings(JsonObject? o, string name) =>
        o?[name] is JsonArray a ? a.Select(n => n?.GetValue<string>() ?? string.Empty).ToArray() : null;

    private static IReadOnlyList<string> GetKeys(JsonObject? o, string name) =>
        o?[name] is JsonObject m ? m.Select(p => p.Key).ToArray() : [];
}
