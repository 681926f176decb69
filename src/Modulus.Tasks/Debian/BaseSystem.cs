using System.Text;
using Modulus.Images;
using Modulus.Layers;

namespace Modulus.Debian;

/// <summary>What the base image already is: its dpkg status, its files and whether its /usr is merged.</summary>
public sealed record BaseSystem(IReadOnlyList<DebianPackage> Status, ImageFileSystem? FileSystem, bool MergedUsr)
{
    private static readonly UnixPath StatusPath = UnixPath.Parse("/var/lib/dpkg/status");
    private static readonly UnixPath StatOverridePath = UnixPath.Parse(StatOverride.FilePath);
    private static readonly UnixPath DpkgConfiguration = UnixPath.Parse(DpkgPathFilter.ConfigurationFolder);

    /// <summary>Whether the base image has something at <paramref name="path"/> (a link counts).</summary>
    public bool Has(UnixPath path) => FileSystem?.Get(path) is not null;

    private const long MaxStatusBytes = 64L << 20;

    /// <summary>
    /// Whether installing packages reads the body of the base's file at <paramref name="path"/>:
    /// dpkg's status and stat overrides, its configuration and the accounts the overrides name.
    /// A view that keeps these in its one read of the base need not read a layer again.
    /// </summary>
    public static bool ReadsBody(UnixPath path) =>
        path == StatusPath || path == StatOverridePath || path.IsUnder(DpkgConfiguration) || AccountDatabase.IsAccountFile(path);

    public static BaseSystem Read(Image image) =>
        Of(image.Layers.Count == 0 ? null : ImageFileSystem.Read(image.Layers, ReadsBody));

    /// <summary>The base system of <paramref name="view"/>, the merged view of a base image (null or without layers: scratch).</summary>
    public static BaseSystem Of(ImageFileSystem? view)
    {
        if (view is null || view.Layers.Count == 0) return new BaseSystem([], null, false);
        var status = view.ReadFile(StatusPath, MaxStatusBytes);
        var packages = status is null
            ? []
            : DebianPackage.ParseIndex(Encoding.UTF8.GetString(status), null)
                .Where(p => (p.Control["Status"] ?? string.Empty).EndsWith(" installed", StringComparison.Ordinal))
                .ToList();
        return new BaseSystem(
            packages,
            view,
            view.Get(UnixPath.Parse("/bin")) is { Type: NodeType.Symlink });
    }
}
