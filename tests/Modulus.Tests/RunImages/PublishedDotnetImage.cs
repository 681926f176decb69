using Modulus.Tests.Sdk;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.RunImages;

/// <summary>
/// images/dotnet published through Modulus.Sdk packed from this repository, with images/base
/// beside it as in the repository (dotnet.csproj references ../base/base.csproj). Its workspace
/// lists the machine's NuGet sources: restore downloads the real runtime packs.
/// </summary>
internal sealed class PublishedDotnetImage
{
    public const string Reference = "modulus/run-dotnet:latest";

    /// <summary>The runtime versions dotnet.csproj bakes, oldest first.</summary>
    public static readonly string[] Versions = ["10.0.12", "11.0.0"];

    /// <summary>
    /// Shared with the other run images' tests: Debian packages and layers are fetched once. An
    /// app that references this project publishes with it, so that the image is up to date
    /// rather than built again.
    /// </summary>
    public static readonly string BlobCache = Path.Combine(Path.GetTempPath(), "modulus-tests", "run-images-cache");

    private PublishedDotnetImage(SampleProject project) => Project = project;

    public SampleProject Project { get; }

    public static PublishedDotnetImage Publish(SdkWorkspace workspace) =>
        new(RepoImageOnItsBase.Publish(workspace, "dotnet", "base", BlobCache, "start").Project);
}
