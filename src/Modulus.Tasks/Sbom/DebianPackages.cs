using System.Text;
using System.Text.RegularExpressions;
using Modulus.Debian;
using Modulus.Layers;

namespace Modulus.Sbom;

/// <summary>
/// The Debian packages of an image: every package dpkg's status database says is installed,
/// with the licence of its machine-readable copyright file. A package this publish installed also
/// has the SHA256 of its .deb (the lock file's), which the status does not record.
/// </summary>
public static partial class DebianPackages
{
    public static bool IsCopyright(string path) =>
        path.StartsWith("/usr/share/doc/", StringComparison.Ordinal) && path.EndsWith("/copyright", StringComparison.Ordinal) && path.Count(c => c == '/') == 5;

    /// <summary>One line per installed package: name, version, architecture and source package, tab-separated.</summary>
    public static string StatusFacts(byte[] status)
    {
        var lines = new StringBuilder();
        foreach (var paragraph in ControlParagraph.ParseAll(Encoding.UTF8.GetString(status)))
        {
            if (paragraph["Package"] is not { } name || paragraph["Version"] is not { } version) continue;
            if (!(paragraph["Status"] ?? string.Empty).EndsWith(" installed", StringComparison.Ordinal)) continue;
            var source = (paragraph["Source"] ?? name).Split(' ')[0];
            lines.Append(name).Append('\t').Append(version).Append('\t').Append(paragraph["Architecture"] ?? "all").Append('\t').Append(source).Append('\n');
        }
        return lines.ToString();
    }

    /// <summary>The licence a copyright file states, or empty.</summary>
    public static string CopyrightFacts(byte[] copyright) => DebianSbom.LicenseOfCopyright(Encoding.UTF8.GetString(copyright)) ?? string.Empty;

    public static IEnumerable<SbomPackage> From(PackageRecords records, IReadOnlyList<InstalledPackage> installedNow)
    {
        if (!records.Facts.TryGetValue(PackageRecords.DpkgStatus, out var status)) yield break;
        var now = installedNow.ToDictionary(p => (p.Name, p.Architecture));
        foreach (var line in status.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Split('\t') is not [var name, var version, var architecture, var source]) continue;
            // A base image's dpkg status is outside input: a name Debian policy would refuse
            // (a '/', a '..') must not pick another package's copyright file, nor fail the publish.
            if (!PackageName().IsMatch(name)) continue;
            now.TryGetValue((name, architecture), out var installed);
            var license = installed?.License
                ?? (records.Facts.TryGetValue(UnixPath.Parse($"/usr/share/doc/{name}/copyright"), out var stated) && stated.Length > 0 ? stated : null);
            yield return Package(name, version, architecture, source, installed?.Sha256, license);
        }
    }

    /// <summary>The packages one installation added, for a document of that installation alone.</summary>
    public static IEnumerable<SbomPackage> From(IEnumerable<InstalledPackage> installed) =>
        installed.Select(p => Package(p.Name, p.Version, p.Architecture, p.Source, p.Sha256, p.License));

    private static SbomPackage Package(string name, string version, string architecture, string source, string? sha256, string? license) =>
        new("deb", name, version,
            $"pkg:deb/debian/{name}@{Uri.EscapeDataString(version)}?arch={architecture}",
            "Organization: Debian",
            license,
            $"built from Debian source package {source}",
            sha256 is null ? null : ("SHA256", sha256));

    /// <summary>Debian policy 5.6.1: lower-case letters, digits, '+', '-' and '.', two or more, starting alphanumeric.</summary>
    [GeneratedRegex("^[a-z0-9][a-z0-9+.-]+$")]
    private static partial Regex PackageName();
}
