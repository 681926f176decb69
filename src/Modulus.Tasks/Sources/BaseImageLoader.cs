using Modulus.Images;
using Modulus.Oci;
using Modulus.Storage;

namespace Modulus.Sources;

/// <summary>Loads a base image from this machine (scratch, a layout or an archive), copying its blobs into a blob store.</summary>
public static class BaseImageLoader
{
    /// <summary>
    /// Parses a local ModulusBaseImage (<c>scratch</c>, <c>oci-layout:PATH[:TAG]</c>,
    /// <c>oci-archive:PATH[:TAG]</c>, <c>docker-archive:PATH[:REPOSITORY:TAG]</c>) and loads the
    /// image for <paramref name="platform"/>. Relative paths are resolved against
    /// <paramref name="baseDirectory"/>. Every blob the image needs is verified and copied into
    /// <paramref name="store"/>; the returned layers point there. A registry image is pulled by
    /// Registry.RegistryImageSource instead.
    /// </summary>
    public static Image Load(string spec, string baseDirectory, Platform platform, BlobStore store) =>
        Load(BaseImageSpec.Parse(spec, baseDirectory), platform, store);

    public static Image Load(BaseImageSpec spec, Platform platform, BlobStore store) => spec.Kind switch
    {
        BaseImageKind.OciLayout => OciLayoutReader.Read(spec, platform, store),
        BaseImageKind.OciArchive => OciArchiveReader.Read(spec, platform, store),
        BaseImageKind.DockerArchive => DockerArchiveReader.Read(spec, platform, store),
        _ => Image.Scratch(platform),
    };
}
