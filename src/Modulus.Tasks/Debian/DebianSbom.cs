using Modulus.Layers;

namespace Modulus.Debian;

/// <summary>One installed package as the SBOM lists it; <see cref="License"/> is the copyright file's "Files: *" licence when machine-readable.</summary>
public sealed record InstalledPackage(string Name, string Version, string Architecture, string Source, string Sha256, string? License);

/// <summary>What Debian's files say for an SBOM (the document itself is Modulus.Sbom's).</summary>
public static class DebianSbom
{
    /// <summary>The licence of a machine-readable /usr/share/doc/PKG/copyright: the "Files: *" paragraph's, else the header's.</summary>
    public static string? LicenseOf(InstallTree tree, string package)
    {
        if (tree.Get(UnixPath.Parse($"/usr/share/doc/{package}/copyright")) is not FileEntry { Content.Length: < 1 << 20 } file) return null;
        using var reader = new StreamReader(file.Content.OpenRead());
        return LicenseOfCopyright(reader.ReadToEnd());
    }

    /// <summary>The licence a copyright file's text states, or null when it is not in Debian's machine-readable format.</summary>
    public static string? LicenseOfCopyright(string text)
    {
        var paragraphs = ControlParagraph.ParseAll(text);
        if (paragraphs.Count == 0 || !(paragraphs[0]["Format"] ?? string.Empty).Contains("copyright-format", StringComparison.Ordinal)) return null;
        var license = paragraphs.FirstOrDefault(p => p["Files"]?.Trim() == "*")?["License"] ?? paragraphs[0]["License"];
        return license?.Split('\n')[0].Trim() is { Length: > 0 } first ? first : null;
    }
}
