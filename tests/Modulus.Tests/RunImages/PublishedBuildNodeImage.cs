using Modulus.Tests.Sdk;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.RunImages;

/// <summary>
/// images/build-node published through Modulus.Sdk packed from this repository, with
/// images/build-base copied beside it, so build-node.csproj's reference to
/// ../build-base/build-base.csproj publishes the base build image first and builds on it.
/// </summary>
internal sealed class PublishedBuildNodeImage
{
    public const string Reference = "modulus/build-node:latest";

    private PublishedBuildNodeImage(SampleProject project) => Project = project;

    public SampleProject Project { get; }

    /// <summary>The compressed size of the image's config and layers (this machine's platform), as modulus-image.json records it.</summary>
    public long Size => RepoImageOnItsBase.Size(Project);

    public static PublishedBuildNodeImage Publish(SdkWorkspace workspace) =>
        new(RepoImageOnItsBase.Publish(workspace, "build-node", "build-base", PublishedBaseImage.BlobCache, "build").Project);
}
