using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Modulus.Layers;

namespace Modulus.Debian;

/// <summary>One installed package as the SBOM lists it; <see cref="License"/> is the copyright file's "Files: *" licence when machine-readable.</summary>
public sealed record InstalledPackage(string Name, string Version, string Architecture, string Source, string Sha256, string? License);

/// <summary>
/// An SPDX 2.3 JSON document of installed Debian packages. Its namespace derives from the package
/// list, so the same packages at the same build time give the same bytes.
/// </summary>
public static class DebianSbom
{
    /// <summary>Debian's short licence names that have an exact SPDX identifier; others are kept as a comment.</summary>
    private static readonly Dictionary<string, string> SpdxIds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["GPL-2"] = "GPL-2.0-only", ["GPL-2+"] = "GPL-2.0-or-later", ["GPL-3"] = "GPL-3.0-only", ["GPL-3+"] = "GPL-3.0-or-later",
        ["LGPL-2"] = "LGPL-2.0-only", ["LGPL-2+"] = "LGPL-2.0-or-later", ["LGPL-2.1"] = "LGPL-2.1-only", ["LGPL-2.1+"] = "LGPL-2.1-or-later",
        ["LGPL-3"] = "LGPL-3.0-only", ["LGPL-3+"] = "LGPL-3.0-or-later", ["Expat"] = "MIT", ["MIT"] = "MIT",
        ["BSD-2-clause"] = "BSD-2-Clause", ["BSD-3-clause"] = "BSD-3-Clause", ["BSD-4-clause"] = "BSD-4-Clause",
        ["Apache-2.0"] = "Apache-2.0", ["Zlib"] = "Zlib", ["ISC"] = "ISC", ["Artistic"] = "Artistic-1.0-Perl",
        ["MPL-2.0"] = "MPL-2.0", ["public-domain"] = "NONE",
    };

    /// <summary>The licence of a machine-readable /usr/share/doc/PKG/copyright: the "Files: *" paragraph's, else the header's.</summary>
    public static string? LicenseOf(InstallTree tree, string package)
    {
        if (tree.Get(UnixPath.Parse($"/usr/share/doc/{package}/copyright")) is not FileEntry { Content.Length: < 1 << 20 } file) return null;
        string text;
        using (var reader = new StreamReader(file.Content.OpenRead())) text = reader.ReadToEnd();
        var paragraphs = ControlParagraph.ParseAll(text);
        if (paragraphs.Count == 0 || !(paragraphs[0]["Format"] ?? string.Empty).Contains("copyright-format", StringComparison.Ordinal)) return null;
        var license = paragraphs.FirstOrDefault(p => p["Files"]?.Trim() == "*")?["License"] ?? paragraphs[0]["License"];
        return license?.Split('\n')[0].Trim() is { Length: > 0 } first ? first : null;
    }

    /// <summary>Writes the document; <paramref name="created"/> is the build's timestamp (SOURCE_DATE_EPOCH), so rebuilding gives the same bytes.</summary>
    public static void Write(string path, IReadOnlyList<InstalledPackage> packages, string documentName, DateTimeOffset created)
    {
        var seed = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Join("\n", packages.Select(p => $"{p.Name} {p.Version} {p.Architecture} {p.Sha256}")))));
        var spdxPackages = new JsonArray();
        var relationships = new JsonArray();
        foreach (var package in packages.OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            var id = "SPDXRef-Package-deb-" + SpdxIdSafe(package.Name) + "-" + SpdxIdSafe(package.Architecture);
            var declared = package.License is null ? "NOASSERTION"
                : SpdxIds.GetValueOrDefault(package.License.Split(' ')[0]) is { } spdx && !package.License.Contains(' ') ? spdx : "NOASSERTION";
            var item = new JsonObject
            {
                ["SPDXID"] = id,
                ["name"] = package.Name,
                ["versionInfo"] = package.Version,
                ["supplier"] = "Organization: Debian",
                ["downloadLocation"] = "NOASSERTION",
                ["filesAnalyzed"] = false,
                ["licenseConcluded"] = "NOASSERTION",
                ["licenseDeclared"] = declared,
                ["copyrightText"] = "NOASSERTION",
                ["sourceInfo"] = $"built from Debian source package {package.Source}",
                ["checksums"] = new JsonArray(new JsonObject { ["algorithm"] = "SHA256", ["checksumValue"] = package.Sha256 }),
                ["externalRefs"] = new JsonArray(new JsonObject
                {
                    ["referenceCategory"] = "PACKAGE-MANAGER",
                    ["referenceType"] = "purl",
                    ["referenceLocator"] = $"pkg:deb/debian/{package.Name}@{Uri.EscapeDataString(package.Version)}?arch={package.Architecture}",
                }),
            };
            if (package.License is not null && declared == "NOASSERTION") item["licenseComments"] = "Debian copyright file: " + package.License;
            spdxPackages.Add(item);
            relationships.Add(new JsonObject
            {
                ["spdxElementId"] = "SPDXRef-DOCUMENT",
                ["relationshipType"] = "DESCRIBES",
                ["relatedSpdxElement"] = id,
            });
        }
        var document = new JsonObject
        {
            ["spdxVersion"] = "SPDX-2.3",
            ["dataLicense"] = "CC0-1.0",
            ["SPDXID"] = "SPDXRef-DOCUMENT",
            ["name"] = documentName,
            ["documentNamespace"] = $"https://spdx.org/spdxdocs/modulus-debian-{seed}",
            ["creationInfo"] = new JsonObject
            {
                ["created"] = created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
                ["creators"] = new JsonArray("Tool: Modulus"),
            },
            ["packages"] = spdxPackages,
            ["relationships"] = relationships,
        };
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllText(temp, document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        File.Move(temp, full, overwrite: true);
    }

    private static string SpdxIdSafe(string value) => new(value.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '-').ToArray());
}
