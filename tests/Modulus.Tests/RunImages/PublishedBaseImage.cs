using System.Text.Json;
using Modulus.Tests.Sdk;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.RunImages;

/// <summary>
/// images/base published through Modulus.Sdk packed from this repository, the way
/// `bash eng/images.sh` publishes it: the project, its committed lock file and its
/// Directory.Build.props are copied into a temp project folder and published there.
/// </summary>
internal sealed class PublishedBaseImage
{
    public const string Reference = "modulus/run-base:latest";

    /// <summary>
    /// Layer and package blobs kept across runs, as a developer's cache is: the first run fetches
    /// the packages from the machine's Debian mirror, later runs read them from here.
    /// </summary>
    public static readonly string BlobCache = Path.Combine(Path.GetTempPath(), "modulus-tests", "run-images-cache");

    /// <summary>The files that travel with base.csproj.</summary>
    private static readonly string[] BesideTheProject = ["Directory.Build.props", "packages.lock.debian.json"];

    private PublishedBaseImage(SampleProject project, BuildResult build)
    {
        Project = project;
        Build = build;
    }

    public SampleProject Project { get; }

    public BuildResult Build { get; }

    public string ArchivePath => Project.ArchivePath;

    /// <summary>The compressed size of the image's config and layers, as modulus-image.json records it.</summary>
    public long Size
    {
        get
        {
            using var report = JsonDocument.Parse(File.ReadAllText(Project.ReportPath));
            return report.RootElement.GetProperty("size").GetInt64();
        }
    }

    /// <summary>The lock file the build used, after the build.</summary>
    public string LockFileText => File.ReadAllText(Path.Combine(Project.Folder, "packages.lock.debian.json"));

    public static string CommittedLockFileText => File.ReadAllText(RepoPaths.Combine("images", "base", "packages.lock.debian.json"));

    /// <param name="properties">Global properties on top of the project's, each <c>Name=Value</c>.</param>
    public static PublishedBaseImage Publish(SdkWorkspace workspace, params string[] properties)
    {
        var source = RepoPaths.Combine("images", "base");
        var project = workspace.NewProject(File.ReadAllText(Path.Combine(source, "base.csproj")), "base");
        foreach (var file in BesideTheProject)
            File.Copy(Path.Combine(source, file), Path.Combine(project.Folder, file));
        var build = project.Publish(["ModulusBlobCache=" + BlobCache, .. properties]);
        if (build.ExitCode != 0) Assert.Fail($"publishing images/base failed:\n{build}");
        return new PublishedBaseImage(project, build);
    }
}
