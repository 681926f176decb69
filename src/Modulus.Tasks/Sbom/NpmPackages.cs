using System.Text.Json;

namespace Modulus.Sbom;

/// <summary>
/// The npm packages of an image: each node_modules/NAME/package.json and
/// node_modules/@SCOPE/NAME/package.json (ModulusNpmPackage items, npm itself and the packages
/// npm bundles), with the licence its package.json states.
/// </summary>
public static class NpmPackages
{
    public static bool IsPackageJson(string path)
    {
        if (!path.EndsWith("/package.json", StringComparison.Ordinal)) return false;
        var parts = path.Split('/');
        var n = parts.Length;
        return (n >= 4 && parts[n - 3] == "node_modules" && !parts[n - 2].StartsWith('@'))
            || (n >= 5 && parts[n - 4] == "node_modules" && parts[n - 3].StartsWith('@'));
    }

    /// <summary>Name, version and licence, tab-separated; empty when the file names no package (test fixtures ship such files).</summary>
    public static string Facts(byte[] packageJson)
    {
        try
        {
            using var json = JsonDocument.Parse(packageJson);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return string.Empty;
            string? Text(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            return Text("name") is { Length: > 0 } name && Text("version") is { Length: > 0 } version
                ? $"{name}\t{version}\t{Text("license")}"
                : string.Empty;
        }
        catch (JsonException)
        {
            return string.Empty;
        }
    }

    public static IEnumerable<SbomPackage> From(PackageRecords records) =>
        records.Facts
            .Where(r => IsPackageJson(r.Key.Value))
            .Select(r => r.Value.Split('\t'))
            .Where(f => f.Length == 3)
            .Select(f => Package(f[0], f[1], f[2].Length > 0 ? f[2] : null));

    public static SbomPackage Package(string name, string version, string? license) =>
        new("npm", name, version, $"pkg:npm/{(name.StartsWith('@') ? "%40" + name[1..] : name)}@{version}", "NOASSERTION", license);
}
