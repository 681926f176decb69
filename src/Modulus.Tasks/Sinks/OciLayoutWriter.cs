using Modulus.Images;

namespace Modulus.Sinks;

/// <summary>Writes an image as an OCI image layout directory, atomically.</summary>
public static class OciLayoutWriter
{
    /// <summary>
    /// Writes <paramref name="image"/> into <paramref name="directory"/>, replacing what was there;
    /// each tag becomes an index entry annotated with org.opencontainers.image.ref.name.
    /// </summary>
    public static void Write(Image image, string directory, IReadOnlyList<string> tags) =>
        throw new NotImplementedException();
}
