using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;
using Modulus.Debian;
using Modulus.Images;
using Modulus.Layers;

namespace Modulus.Report;

/// <summary>One installed Debian package as dpkg's status has it; <see cref="InstalledKiB"/> is its Installed-Size (0 when unstated).</summary>
public sealed record InstalledDebianPackage(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("architecture")] string Architecture,
    [property: JsonPropertyName("installedKiB")] long InstalledKiB);

/// <summary>
/// Which Debian package owns each file of an image, from dpkg's own database in the image: the
/// status file (the installed packages) and info/PACKAGE.list (each package's paths). Paths are
/// taken as the merged view resolves them, so a package's /lib/x.so counts where /lib links to.
/// </summary>
public sealed class DpkgOwners
{
    private static readonly UnixPath Status = UnixPath.Parse("/var/lib/dpkg/status");
    private static readonly UnixPath Info = UnixPath.Parse("/var/lib/dpkg/info");

    /// <summary>Larger list or status files are not dpkg's (Debian's biggest package lists about 1 MiB of paths).</summary>
    private const long MaxListBytes = ImageFileSystem.MaxKeptBodyBytes;
    private const long MaxStatusBytes = 64L << 20;

    private readonly Dictionary<UnixPath, string> _owner;

    private DpkgOwners(IReadOnlyList<InstalledDebianPackage> packages, Dictionary<UnixPath, string> owner)
    {
        Packages = packages;
        _owner = owner;
    }

    /// <summary>The installed packages, by name.</summary>
    public IReadOnlyList<InstalledDebianPackage> Packages { get; }

    /// <summary>Whether <paramref name="path"/> is a package's list of files (its body is read for the owners).</summary>
    public static bool IsFileList(UnixPath path) =>
        path.Parent == Info && path.Value.EndsWith(".list", StringComparison.Ordinal);

    /// <summary>The package that owns the file at <paramref name="path"/> (the view's path), or null.</summary>
    public string? OwnerOf(UnixPath path) => _owner.GetValueOrDefault(path);

    public static DpkgOwners Of(ImageFileSystem view)
    {
        var packages = ReadStatus(view);
        var installed = packages.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var owner = new Dictionary<UnixPath, string>();
        foreach (var list in view.List(Info).Where(n => n.Type == NodeType.File && IsFileList(n.Path) && n.Size <= MaxListBytes))
        {
            // "libc6:amd64.list" names the package libc6 (Multi-Arch: same).
            var package = list.Path.Name[..^".list".Length].Split(':')[0];
            if (!installed.Contains(package) || view.ReadFile(list.Path, MaxListBytes) is not { } body) continue;
            foreach (var line in Encoding.UTF8.GetString(body).Split('\n'))
            {
                if (line.Length < 2 || line[0] != '/' || !UnixPath.TryFromTarName(line[1..], out var path)) continue;
                // The package's own path, else its folder resolved (the package's /lib/x.so is /usr/lib/x.so when /lib links there).
                var actual = view.Exists(path) ? path : path.Parent is { } parent && view.Resolve(parent) is { } folder ? folder.Combine(path.Name) : (UnixPath?)null;
                if (actual is { } found && view.Get(found) is { Type: NodeType.File or NodeType.HardLink }) owner.TryAdd(found, package);
            }
        }
        return new DpkgOwners(packages, owner);
    }

    private static IReadOnlyList<InstalledDebianPackage> ReadStatus(ImageFileSystem view)
    {
        if (view.Get(Status) is not { Type: NodeType.File } || view.ReadFile(Status, MaxStatusBytes) is not { } status) return [];
        return ControlParagraph.ParseAll(Encoding.UTF8.GetString(status))
            .Where(p => p["Package"] is not null && (p["Status"] ?? string.Empty).EndsWith(" installed", StringComparison.Ordinal))
            .Select(p => new InstalledDebianPackage(p.Get("Package"), p.Get("Version"), p["Architecture"] ?? "all",
                long.TryParse(p["Installed-Size"], NumberStyles.None, CultureInfo.InvariantCulture, out var kib) ? kib : 0))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ToArray();
    }
}
