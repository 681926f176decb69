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

    public static IEnumerable<SbomPackage> From(PackageRecords records)
    {
        foreach (var (path, body) in records.Files)
        {
            if (!path.Value.EndsWith(".deps.json", StringComparison.Ordinal)) continue;
            foreach (var package in Read(body, path.Value)) yield return package;
        }
    }

    private static List<SbomPackage> Read(byte[] body, string path)
    {
        var packages = new List<SbomPackage>();
        try
        {
            using var json = JsonDocument.Parse(body);
            if (!json.RootElement.TryGetProperty("libraries", out var libraries) || libraries.ValueKind != JsonValueKind.Object) return packages;
            foreach (var library in libraries.EnumerateObject())
            {
                var type = library.Value.TryGetProperty("type", out var t) ? t.GetString() : null;
                if (type is not ("package" or "runtimepack")) continue;
                var slash = library.Name.IndexOf('/');
                if (slash <= 0) continue;
                var name = library.Name[..slash];
                if (name.StartsWith(RuntimePackPrefix, StringComparison.Ordinal)) name = name[RuntimePackPrefix.Length..];
                var version = library.Name[(slash + 1)..];
                var sha512 = library.Value.TryGetProperty("sha512", out var s) ? s.GetString() : null;
                packages.Add(new SbomPackage("nuget", name, version, $"pkg:nuget/{name}@{version}", "NOASSERTION",
                    SourceInfo: $"listed in {path}",
                    Checksum: Sha512Hex(sha512) is { } hex ? ("SHA512", hex) : null));
            }
        }
        catch (JsonException)
        {
            // Not a deps.json the .NET host could read either: it names no package.
        }
        return packages;
    }

    /// <summary>NuGet writes "sha512-BASE64"; SPDX wants hex.</summary>
    private static string? Sha512Hex(string? value)
    {
        if (value is null || !value.StartsWith("sha512-", StringComparison.Ordinal)) return null;
        var bytes = new byte[64];
        return Convert.TryFromBase64String(value["sha512-".Length..], bytes, out var written) && written == 64 ? Convert.ToHexStringLower(bytes) : null;
    }
}
