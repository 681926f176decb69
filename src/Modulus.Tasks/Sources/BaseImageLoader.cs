using Modulus.Images;
using Modulus.Oci;
using Modulus.Registry;
using Modulus.Storage;

namespace Modulus.Sources;

/// <summary>Loads the base image a project names, copying its blobs into a blob store.</summary>
public static class BaseImageLoader
{
    /// <summary>
    /// Parses ModulusBaseImage (<c>scratch</c>, <c>oci-layout:PATH[:TAG]</c>, <c>oci-archive:PATH[:TAG]</c>,
    /// <c>docker-archive:PATH[:REPOSITORY:TAG]</c>, or a registry reference, bare or as
    /// <c>docker://REFERENCE</c>) and loads the image for <paramref name="platform"/>.
    /// Relative paths are resolved against <paramref name="baseDirectory"/>. Every blob the image
    /// needs is verified and copied into <paramref name="store"/>; the returned layers point there.
    /// </summary>
    public static Image Load(string spec, string baseDirectory, Platform platform, BlobStore store, RegistryOptions? registryOptions = null) =>
        RegistryImageSource.TryParseSpec(spec, out var reference)
            ? RegistryImageSource.PullAsync(reference, platform, store, registryOptions ?? RegistryOptions.Default).GetAwaiter().GetResult()
            : Load(BaseImageSpec.Parse(spec, baseDirectory), platform, store);

    public static Image Load(BaseImageSpec spec, Platform platform, BlobStore store) => spec.Kind switch
    {
        BaseImageKind.OciLayout => OciLayoutReader.Read(spec, platform, store),
        BaseImageKind.OciArchive => OciArchiveReader.Read(spec, platform, store),
        BaseImageKind.DockerArchive => DockerArchiveReader.Read(spec, platform, store),
        _ => Image.Scratch(platform),
    };
}
