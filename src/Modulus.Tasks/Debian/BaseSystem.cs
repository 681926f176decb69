using System.Text;
using Modulus.Images;
using Modulus.Layers;

namespace Modulus.Debian;

/// <summary>What the base image already is: its dpkg status, its files and whether its /usr is merged.</summary>
public sealed record BaseSystem(IReadOnlyList<DebianPackage> Status, ImageFileSystem? FileSystem, bool MergedUsr)
{
    /// <summary>Whether the base image has something at <paramref name="path"/> (a link counts).</summary>
    public bool Has(UnixPath path) => FileSystem?.Get(path) is not null;

    private const long MaxStatusBytes = 64L << 20;

    public static BaseSystem Read(Image image)
    {
        if (image.Layers.Count == 0) return new BaseSystem([], null, false);
        var fileSystem = ImageFileSystem.Read(image.Layers);
        var status = fileSystem.ReadFile(UnixPath.Parse("/var/lib/dpkg/status"), MaxStatusBytes);
        var packages = status is null
            ? []
            : DebianPackage.ParseIndex(Encoding.UTF8.GetString(status), null)
                .Where(p => (p.Control["Status"] ?? string.Empty).EndsWith(" installed", StringComparison.Ordinal))
                .ToList();
        return new BaseSystem(
            packages,
            fileSystem,
            fileSystem.Get(UnixPath.Parse("/bin")) is { Type: NodeType.Symlink });
    }
}
