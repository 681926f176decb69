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

    public static PublishedDotnetImage Publish(SdkWorkspace workspace)
    {
        var project = workspace.NewProject(File.ReadAllText(RepoPaths.Combine("images", "dotnet", "dotnet.csproj")), "dotnet");
        Copy(RepoPaths.Combine("images", "dotnet"), project.Folder, "Directory.Build.props", "packages.lock.debian.json", "start");
        var baseFolder = Path.Combine(Path.GetDirectoryName(project.Folder)!, "base");
        Directory.CreateDirectory(baseFolder);
        Copy(RepoPaths.Combine("images", "base"), baseFolder, "base.csproj", "Directory.Build.props", "packages.lock.debian.json");
        Copy(project.Folder, baseFolder, "global.json", "nuget.config");
        var build = project.Publish("ModulusBlobCache=" + BlobCache);
        if (build.ExitCode != 0) Assert.Fail($"publishing images/dotnet failed:\n{build}");
        return new PublishedDotnetImage(project);
    }

    private static void Copy(string from, string to, params string[] names)
    {
        foreach (var name in names) File.Copy(Path.Combine(from, name), Path.Combine(to, name), overwrite: true);
    }
}
