using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Modulus.Storage;

namespace Modulus.Sbom;

/// <summary>
/// Writes an SPDX 2.3 JSON document of <see cref="SbomPackage"/>s. The same packages, name and
/// creation time give the same bytes: packages are sorted, their SPDX ids derive from their
/// names, and the namespace is a hash of the content rather than a random UUID.
/// </summary>
public static class SpdxDocument
{
    public static void Write(string path, string documentName, IEnumerable<SbomPackage> packages, DateTimeOffset created) =>
        AtomicFile.WriteAllText(Path.GetFullPath(path), ToJson(documentName, packages, created));

    public static string ToJson(string documentName, IEnumerable<SbomPackage> packages, DateTimeOffset created)
    {
        var sorted = packages
            .DistinctBy(p => p.Purl)
            .OrderBy(p => p.Ecosystem, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Purl, StringComparer.Ordinal)
            .ToList();
        var seed = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(documentName + "\n" + string.Join("\n", sorted.Select(p => p.Purl)))));
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var spdxPackages = new JsonArray();
        var relationships = new JsonArray();
        foreach (var package in sorted)
        {
            var id = UniqueId($"SPDXRef-Package-{package.Ecosystem}-{package.Name}-{package.Version}", ids);
            var (declared, comment) = SpdxLicense.Declared(package.License);
            var item = new JsonObject
            {
                ["SPDXID"] = id,
                ["name"] = package.Name,
                ["versionInfo"] = package.Version,
                ["supplier"] = package.Supplier,
                ["downloadLocation"] = "NOASSERTION",
                ["filesAnalyzed"] = false,
                ["licenseConcluded"] = "NOASSERTION",
                ["licenseDeclared"] = declared,
                ["copyrightText"] = "NOASSERTION",
            };
            if (comment is not null) item["licenseComments"] = comment;
            if (package.SourceInfo is not null) item["sourceInfo"] = package.SourceInfo;
            if (package.Checksum is { } checksum)
                item["checksums"] = new JsonArray(new JsonObject { ["algorithm"] = checksum.Algorithm, ["checksumValue"] = checksum.Hex });
            item["externalRefs"] = new JsonArray(new JsonObject
            {
                ["referenceCategory"] = "PACKAGE-MANAGER",
                ["referenceType"] = "purl",
                ["referenceLocator"] = package.Purl,
            });
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
            ["documentNamespace"] = $"https://spdx.org/spdxdocs/modulus-{seed}",
            ["creationInfo"] = new JsonObject
            {
                ["created"] = created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                ["creators"] = new JsonArray("Tool: Modulus"),
            },
            ["packages"] = spdxPackages,
            ["relationships"] = relationships,
        };
        return document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>SPDX ids allow letters, digits, '.' and '-'; two packages whose names differ only elsewhere get -2, -3 in sorted order.</summary>
    private static string UniqueId(string wanted, HashSet<string> taken)
    {
        var safe = new string(wanted.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '-').ToArray());
        var id = safe;
        for (var n = 2; !taken.Add(id); n++) id = $"{safe}-{n}";
        return id;
    }
}
