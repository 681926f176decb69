using System.Text.Json;
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
    public long Size
    {
        get
        {
            using var report = JsonDocument.Parse(File.ReadAllText(Project.ReportPath));
            return report.RootElement.GetProperty("size").GetInt64();
        }
    }

    public static PublishedBuildNodeImage Publish(SdkWorkspace workspace)
    {
        var project = workspace.NewProject(File.ReadAllText(RepoPaths.Combine("images", "build-node", "build-node.csproj")), "build-node");
        Copy(RepoPaths.Combine("images", "build-node"), project.Folder, "Directory.Build.props", "packages.lock.debian.json", "build");
        var baseFolder = Path.Combine(Path.GetDirectoryName(project.Folder)!, "build-base");
        Directory.CreateDirectory(baseFolder);
        Copy(RepoPaths.Combine("images", "build-base"), baseFolder, "build-base.csproj", "Directory.Build.props", "packages.lock.debian.json");
        Copy(project.Folder, baseFolder, "global.json", "nuget.config");
        var build = project.Publish("ModulusBlobCache=" + PublishedBaseImage.BlobCache);
        if (build.ExitCode != 0) Assert.Fail($"publishing images/build-node failed:\n{build}");
        return new PublishedBuildNodeImage(project);
    }

    private static void Copy(string from, string to, params string[] names)
    {
        foreach (var name in names) File.Copy(Path.Combine(from, name), Path.Combine(to, name), overwrite: true);
    }
}
