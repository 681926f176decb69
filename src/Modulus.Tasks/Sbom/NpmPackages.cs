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

    public static IEnumerable<SbomPackage> From(PackageRecords records)
    {
        foreach (var (path, body) in records.Files)
        {
            if (!IsPackageJson(path.Value)) continue;
            string? name, version, license;
            try
            {
                using var json = JsonDocument.Parse(body);
                var root = json.RootElement;
                name = root.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
                version = root.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                license = root.TryGetProperty("license", out var l) && l.ValueKind == JsonValueKind.String ? l.GetString() : null;
            }
            catch (JsonException)
            {
                continue; // A package.json that is not JSON names no package (test fixtures ship such files).
            }
            if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(version)) continue;
            yield return Package(name, version, license);
        }
    }

    public static SbomPackage Package(string name, string version, string? license) =>
        new("npm", name, version, $"pkg:npm/{(name.StartsWith('@') ? "%40" + name[1..] : name)}@{version}", "NOASSERTION", license);
}
