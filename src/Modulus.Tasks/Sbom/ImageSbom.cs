using Modulus.Debian;
using Modulus.Images;
using Modulus.Storage;

namespace Modulus.Sbom;

/// <summary>
/// The SBOM of a whole image: every package its layers hold, the base's included, read from the
/// records each package manager leaves in the file system (dpkg's status, npm's package.json,
/// .NET's deps.json, Modulus's Node.js runtime folders). Records, not build inputs, so an image
/// built on a registry base lists the base's packages as well as its own.
/// </summary>
public static class ImageSbom
{
    public const string FileName = "sbom.spdx.json";

    /// <summary>
    /// The packages of the image made of <paramref name="layers"/>; <paramref name="platform"/>
    /// names the package its Node.js runtimes came from (linux/amd64 when null).
    /// </summary>
    public static IReadOnlyList<SbomPackage> Packages(IReadOnlyList<ILayer> layers, BlobStore store, IReadOnlyList<InstalledPackage> debianInstalledNow, Oci.Platform? platform = null)
    {
        var records = PackageRecords.Read(layers, store);
        return [
            .. DebianPackages.From(records, debianInstalledNow),
            .. NodeRuntimes.From(records, platform ?? Oci.Platform.LinuxAmd64),
            .. NpmPackages.From(records),
            .. DotNetPackages.From(records),
        ];
    }

    public static void Write(string path, string documentName, IReadOnlyList<ILayer> layers, BlobStore store, IReadOnlyList<InstalledPackage> debianInstalledNow, DateTimeOffset created,
        Oci.Platform? platform = null) =>
        SpdxDocument.Write(path, documentName, Packages(layers, store, debianInstalledNow, platform), created);
}
