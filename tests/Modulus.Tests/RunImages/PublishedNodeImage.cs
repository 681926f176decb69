using System.Text.Json;
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
    public long Size
    {
        get
        {
            using var report = JsonDocument.Parse(File.ReadAllText(Project.ReportPath));
            return report.RootElement.GetProperty("size").GetInt64();
        }
    }

    public static PublishedNodeImage Publish(SdkWorkspace workspace)
    {
        var project = workspace.NewProject(File.ReadAllText(RepoPaths.Combine("images", "node", "node.csproj")), "node");
        Copy(RepoPaths.Combine("images", "node"), project.Folder, "Directory.Build.props", "packages.lock.debian.json", "start");
        var baseFolder = Path.Combine(Path.GetDirectoryName(project.Folder)!, "base");
        Directory.CreateDirectory(baseFolder);
        Copy(RepoPaths.Combine("images", "base"), baseFolder, "base.csproj", "Directory.Build.props", "packages.lock.debian.json");
        Copy(project.Folder, baseFolder, "global.json", "nuget.config");
        var build = project.Publish("ModulusBlobCache=" + BlobCache);
        if (build.ExitCode != 0) Assert.Fail($"publishing images/node failed:\n{build}");
        return new PublishedNodeImage(project, build);
    }

    private static void Copy(string from, string to, params string[] names)
    {
        foreach (var name in names) File.Copy(Path.Combine(from, name), Path.Combine(to, name), overwrite: true);
    }
}
