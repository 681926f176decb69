using Modulus.Images;
using Modulus.Oci;
using Modulus.Storage;

namespace Modulus.Sources;

/// <summary>Loads the base image a project names, copying its blobs into a blob store.</summary>
public static class BaseImageLoader
{
    /// <summary>
    /// Parses ModulusBaseImage (<c>scratch</c>, <c>oci-layout:PATH[:TAG]</c>, <c>oci-archive:PATH</c>,
    /// <c>docker-archive:PATH</c>) and loads the image for <paramref name="platform"/>. Relative
    /// paths are resolved against <paramref name="baseDirectory"/>.
    /// </summary>
    public static Image Load(string spec, string baseDirectory, Platform platform, BlobStore store) =>
        throw new NotImplementedException();
}
