using System.Text;
using System.Text.Json;

namespace Modulus.Sbom;

/// <summary>
/// The NuGet packages of the .NET apps in an image, from each app's *.deps.json (the .NET SDK
/// writes it into the publish output, and the host reads it at start, so it lists exactly what
/// the app loads): its libraries of type package, and runtimepack for a self-contained app or a
/// shared framework. The deps.json's SHA512 of the package is kept.
/// </summary>
public static class DotNetPackages
{
    private const string RuntimePackPrefix = "runtimepack.";

    public static bool IsDepsJson(string path) => path.EndsWith(".deps.json", StringComparison.Ordinal);

    /// <summary>One line per package: name, version and SHA512 in hex (or empty), tab-separated.</summary>
    public static string Facts(byte[] depsJson)
    {
        var lines = new StringBuilder();
        try
        {
            using var json = JsonDocument.Parse(depsJson);
            if (json.RootElement.ValueKind != JsonValueKind.Object
                || !json.RootElement.TryGetProperty("libraries", out var libraries) || libraries.ValueKind != JsonValueKind.Object) return string.Empty;
            foreach (var library in libraries.EnumerateObject())
            {
                if (library.Value.ValueKind != JsonValueKind.Object) continue;
                var type = library.Value.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                if (type is not ("package" or "runtimepack")) continue;
                var slash = library.Name.IndexOf('/');
                if (slash <= 0) continue;
                var name = library.Name[..slash];
                if (name.StartsWith(RuntimePackPrefix, StringComparison.Ordinal)) name = name[RuntimePackPrefix.Length..];
                var sha512 = library.Value.TryGetProperty("sha512", out var s) && s.ValueKind == JsonValueKind.String ? Sha512Hex(s.GetString()) : null;
                lines.Append(name).Append('\t').Append(library.Name[(slash + 1)..]).Append('\t').Append(sha512).Append('\n');
            }
        }
        catch (JsonException)
        {
            // Not a deps.json the .NET host could read either: it names no package.
        }
        return lines.ToString();
    }

    public static IEnumerable<SbomPackage> From(PackageRecords records)
    {
        foreach (var (path, facts) in records.Facts)
        {
            if (!IsDepsJson(path.Value)) continue;
            foreach (var line in facts.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                if (line.Split('\t') is not [var name, var version, var sha512]) continue;
                yield return new SbomPackage("nuget", name, version, $"pkg:nuget/{name}@{version}", "NOASSERTION",
                    SourceInfo: $"listed in {path.Value}",
                    Checksum: sha512.Length > 0 ? ("SHA512", sha512) : null);
            }
        }
    }

    /// <summary>NuGet writes "sha512-BASE64"; SPDX wants hex.</summary>
    private static string? Sha512Hex(string? value)
    {
        if (value is null || !value.StartsWith("sha512-", StringComparison.Ordinal)) return null;
        var bytes = new byte[64];
        return Convert.TryFromBase64String(value["sha512-".Length..], bytes, out var written) && written == 64 ? Convert.ToHexStringLower(bytes) : null;
    }
}
