using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Layers;
using Modulus.Oci;
using Modulus.Plan;
using Modulus.Publishing;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Publishing;

/// <summary>
/// The digest of a whole image, pinned: what users rely on when they say "reproducible". The same
/// declarations must give these bytes on any machine, in any folder, with any cache, now and after
/// every change to Modulus. A change that moves them changes every user's image digest: make it
/// on purpose, say so in the change, and update the constants from the failure message.
/// </summary>
public class WholeImageGoldenTests
{
    private const string GoldenManifest = "sha256:09f991aa114089f06159c088b441e200c85d386215a37273e4a4093bb4a43bcc";
    private const string GoldenConfig = "sha256:10efcea27d35e3d128dea9024173ce8f962e93477fc8c67796882a61c3ec38c4";

    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory("golden");

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public async Task A_plain_image_from_files_folders_links_and_config_has_the_pinned_digests()
    {
        var report = (await ImagePublisher.PublishAsync(Plan(_temp.Combine("a")), new RecordingLog(DiagnosticSeverity.Error), CancellationToken.None)).Report;

        var listing = string.Join("\n", report.Layers.Select(l => $"{l.Digest} {l.DiffId} {l.Size}"));
        report.ManifestDigest.ShouldBe(GoldenManifest, $"config {report.ConfigDigest}; layers:\n{listing}");
        report.ConfigDigest.ShouldBe(GoldenConfig);
    }

    [Test]
    public async Task Another_folder_cache_and_file_times_give_the_same_digest()
    {
        var first = (await ImagePublisher.PublishAsync(Plan(_temp.Combine("a")), new RecordingLog(DiagnosticSeverity.Error), CancellationToken.None)).Report;
        var secondProject = _temp.Combine("b", "elsewhere");
        var second = Plan(secondProject);
        File.SetLastWriteTimeUtc(Path.Combine(secondProject, "tool.sh"), new DateTime(2031, 5, 6, 7, 8, 9, DateTimeKind.Utc));

        var again = (await ImagePublisher.PublishAsync(second, new RecordingLog(DiagnosticSeverity.Error), CancellationToken.None)).Report;

        again.ManifestDigest.ShouldBe(first.ManifestDigest);
    }

    /// <summary>A project in <paramref name="folder"/> with one host file and a cache of its own.</summary>
    private static ImagePlan Plan(string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "tool.sh"), "#!/bin/sh\necho golden\n");
        return new ImagePlan
        {
            BaseImage = Modulus.Sources.BaseImageSource.Scratch,
            ProjectDirectory = folder,
            Platform = Platform.LinuxAmd64,
            Files =
            [
                new PlannedFile("tool.sh", Path.Combine(folder, "tool.sh"), null, "/usr/local/bin/", "tool.sh", PermissionMode.Parse("0755", "tool.sh"), null, SourceLocation.Unknown),
                new PlannedFile("/etc/motd", null, "reproducible\n", null, "/etc/motd", null, OwnerSpec.Parse("1000:1000", "/etc/motd"), SourceLocation.Unknown),
            ],
            Directories = [new PlannedDirectory("/srv/data", UnixPath.Parse("/srv/data"), PermissionMode.Parse("0750", "/srv/data"), OwnerSpec.Parse("1000:1000", "/srv/data"), SourceLocation.Unknown)],
            Symlinks = [new PlannedSymlink("/usr/bin/tool", UnixPath.Parse("/usr/bin/tool"), "../local/bin/tool.sh", null, SourceLocation.Unknown)],
            Config = new ConfigChanges
            {
                Environment = [new("MODE", "golden")],
                Labels = new Dictionary<string, string> { ["org.opencontainers.image.title"] = "golden" },
                ExposedPorts = ["8080/tcp"],
                WorkingDir = "/srv/data",
                Entrypoint = ["/usr/bin/tool"],
            },
            Repository = "golden/image",
            Tags = ["v1"],
            Timestamp = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000),
            OutputDirectory = Path.Combine(folder, "publish"),
            IntermediateDirectory = Path.Combine(folder, "obj"),
            BlobCacheDirectory = Path.Combine(folder, "cache"),
        };
    }
}
