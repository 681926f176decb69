using Modulus.Images;

namespace Modulus.Sinks;

/// <summary>
/// Writes one tar that both `docker load` (20.10 and newer: docker-archive manifest.json) and OCI
/// readers (the OCI layout beside it in the same tar) accept.
/// </summary>
public static class DockerArchiveWriter
{
    /// <summary>Writes <paramref name="image"/> to <paramref name="tarPath"/>; repoTags are "repository:tag".</summary>
    public static void Write(Image image, string tarPath, IReadOnlyList<string> repoTags) =>
        throw new NotImplementedException();
}
