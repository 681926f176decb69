using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Layers;
using Modulus.Oci;
using Modulus.Storage;

namespace Modulus.Sources;

/// <summary>Reads an image from an OCI image layout directory.</summary>
internal static class OciLayoutReader
{
    public static Image Read(BaseImageSpec spec, Platform platform, BlobStore store)
    {
        var layout = spec.Path!;
        if (!File.Exists(Path.Combine(layout, "oci-layout")))
            throw new ModulusException(Errors.InvalidOciLayout, layout, "it has no 'oci-layout' file");
        var indexPath = Path.Combine(layout, "index.json");
        if (!File.Exists(indexPath)) throw new ModulusException(Errors.InvalidOciLayout, layout, "it has no 'index.json' file");
        if (HostFile.KindOf(indexPath) is var kind and not HostFileKind.RegularFile)
            throw new ModulusException(Errors.BlobNotRegularFile, indexPath, $"index.json of {spec.Description}", HostFile.Describe(kind));
        var index = ImageAssembly.ReadDocument(indexPath, $"index.json of {spec.Description}");
        return OciIndexResolver.Resolve(spec, index, platform, new LayoutDirectoryBlobs(layout, store), store);
    }
}
