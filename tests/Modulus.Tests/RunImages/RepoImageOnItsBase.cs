using System.Text.Json;
using Modulus.Tests.Sdk;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.RunImages;

/// <summary>
/// An image project of the repository published through Modulus.Sdk packed from this repository,
/// with the image project it builds on copied beside it as in the repository, so its
/// ProjectReference to ../BASE/BASE.csproj publishes the base first and builds on it.
/// </summary>
internal static class RepoImageOnItsBase
{
    /// <summary>
    /// Copies images/<paramref name="name"/> (its project, <paramref name="files"/> and the folder's
    /// Directory.Build.props and lock file) and images/<paramref name="baseName"/> into the workspace
    /// and publishes with <paramref name="blobCache"/>; a failed publish fails the test.
    /// </summary>
    public static (SampleProject Project, BuildResult Build) Publish(SdkWorkspace workspace, string name, string baseName, string blobCache, params string[] files)
    {
        var project = workspace.NewProject(File.ReadAllText(RepoPaths.Combine("images", name, name + ".csproj")), name);
        Copy(RepoPaths.Combine("images", name), project.Folder, ["Directory.Build.props", "packages.lock.debian.json", .. files]);
        var baseFolder = Path.Combine(Path.GetDirectoryName(project.Folder)!, baseName);
        Directory.CreateDirectory(baseFolder);
        Copy(RepoPaths.Combine("images", baseName), baseFolder, [baseName + ".csproj", "Directory.Build.props", "packages.lock.debian.json"]);
        Copy(project.Folder, baseFolder, ["global.json", "nuget.config"]);
        var build = project.Publish("ModulusBlobCache=" + blobCache);
        if (build.ExitCode != 0) Assert.Fail($"publishing images/{name} failed:\n{build}");
        return (project, build);
    }

    /// <summary>The compressed size of the image's config and layers (this machine's platform), as modulus-image.json records it.</summary>
    public static long Size(SampleProject project)
    {
        using var report = JsonDocument.Parse(File.ReadAllText(project.ReportPath));
        return report.RootElement.GetProperty("size").GetInt64();
    }

    private static void Copy(string from, string to, string[] names)
    {
        foreach (var name in names) File.Copy(Path.Combine(from, name), Path.Combine(to, name), overwrite: true);
    }
}
