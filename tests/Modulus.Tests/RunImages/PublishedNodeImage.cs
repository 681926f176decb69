using Modulus.Tests.Sdk;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.RunImages;

/// <summary>
/// images/node published through Modulus.Sdk packed from this repository: images/node and
/// images/base are copied side by side into a temp folder, so node.csproj's reference to
/// ../base/base.csproj publishes the base image first and builds on it, as in the repository.
/// </summary>
internal sealed class PublishedNodeImage
{
    public const string Reference = "modulus/run-node:latest";

    /// <summary>The Node.js versions node.csproj bakes, oldest first.</summary>
    public static readonly string[] Versions = ["22.23.5", "24.22.3", "26.12.1"];

    /// <summary>Shared with the base image's tests: Debian packages, npm tarballs and layers are fetched once.</summary>
    private static readonly string BlobCache = Path.Combine(Path.GetTempPath(), "modulus-tests", "run-images-cache");

    private PublishedNodeImage(SampleProject project, BuildResult build)
    {
        Project = project;
        Build = build;
    }

    public SampleProject Project { get; }

    /// <summary>What the publish printed and logged.</summary>
    public BuildResult Build { get; }

    /// <summary>The compressed size of the image's config and layers, as modulus-image.json records it.</summary>
    public long Size => RepoImageOnItsBase.Size(Project);

    public static PublishedNodeImage Publish(SdkWorkspace workspace)
    {
        var (project, build) = RepoImageOnItsBase.Publish(workspace, "node", "base", BlobCache, "start");
        return new PublishedNodeImage(project, build);
    }
}
