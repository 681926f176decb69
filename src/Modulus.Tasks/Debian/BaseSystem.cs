using System.Text;
using Modulus.Images;
using Modulus.Layers;

namespace Modulus.Debian;

/// <summary>What the base image already is: its dpkg status, whether it has accounts and whether its /usr is merged.</summary>
public sealed record BaseSystem(IReadOnlyList<DebianPackage> Status, bool HasAccounts, bool MergedUsr)
{
    private const long MaxStatusBytes = 64L << 20;

    public static BaseSystem Read(Image image)
    {
        if (image.Layers.Count == 0) return new BaseSystem([], false, false);
        var fileSystem = ImageFileSystem.Read(image.Layers);
        var status = fileSystem.ReadFile(UnixPath.Parse("/var/lib/dpkg/status"), MaxStatusBytes);
        var packages = status is null
            ? []
            : DebianPackage.ParseIndex(Encoding.UTF8.GetString(status), null)
                .Where(p => (p.Control["Status"] ?? string.Empty).EndsWith(" installed", StringComparison.Ordinal))
                .ToList();
        return new BaseSystem(
            packages,
            fileSystem.Exists(UnixPath.Parse("/etc/passwd")),
            fileSystem.Get(UnixPath.Parse("/bin")) is { Type: NodeType.Symlink });
    }
}
