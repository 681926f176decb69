using System.Formats.Tar;
using System.Text.Json;
using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Layers;
using Modulus.Oci;
using Modulus.Plan;
using Modulus.Publishing;
using Modulus.Sbom;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Publishing;

/// <summary>
/// The outputs (oci-layout/, image.tar, the SBOM, modulus-image.json) are replaced as one set: a
/// failure while writing them leaves the previous set whole and consistent, the message says only
/// what is true, and what a killed publish left behind is removed by the next one.
/// </summary>
public class OutputSetTests
{
    /// <summary>A PID no process has (above any pid_max), standing for a publish that was killed.</summary>
    private const int DeadPid = 999_999_999;

    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory("outputs");

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public async Task A_failure_while_writing_the_tar_leaves_the_previous_set_whole_and_says_so_truly()
    {
        var plan = Plan(_temp.Path, "first");
        var first = (await ImagePublisher.PublishAsync(plan, RecordingLog.Clean(), CancellationToken.None)).Report;
        var sbom = File.ReadAllBytes(Path.Combine(plan.OutputDirectory, ImageSbom.FileName));

        var changed = Plan(_temp.Path, "second");
        var failure = await Should.ThrowAsync<ModulusException>(() =>
            ImagePublisher.PublishAsync(changed, new FailingLog("Writing the image archive"), CancellationToken.None));

        failure.Code.ShouldBe("MOD2211");
        failure.Message.ShouldContain("the previous output is unchanged");
        Digests(plan.OutputDirectory).ShouldBe(Same(first.ManifestDigest.ToString()));
        File.ReadAllBytes(Path.Combine(plan.OutputDirectory, ImageSbom.FileName)).ShouldBe(sbom);
        Hidden(plan.OutputDirectory).ShouldBeEmpty();
    }

    [Test]
    public async Task After_a_failure_the_previous_inputs_are_up_to_date_and_the_next_publish_leaves_nothing_else()
    {
        var plan = Plan(_temp.Path, "first");
        var first = (await ImagePublisher.PublishAsync(plan, RecordingLog.Clean(), CancellationToken.None)).Report;
        await Should.ThrowAsync<ModulusException>(() =>
            ImagePublisher.PublishAsync(Plan(_temp.Path, "second"), new FailingLog("Writing the image archive"), CancellationToken.None));

        // The set was never touched, so it still is the image of the first inputs.
        var back = await ImagePublisher.PublishAsync(Plan(_temp.Path, "first"), RecordingLog.Clean(), CancellationToken.None);
        back.UpToDate.ShouldBeTrue();
        back.Report.ManifestDigest.ShouldBe(first.ManifestDigest);

        var second = (await ImagePublisher.PublishAsync(Plan(_temp.Path, "second"), RecordingLog.Clean(), CancellationToken.None)).Report;

        second.ManifestDigest.ShouldNotBe(first.ManifestDigest);
        Digests(plan.OutputDirectory).ShouldBe(Same(second.ManifestDigest.ToString()));
        Directory.EnumerateFileSystemEntries(plan.OutputDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal)
            .ShouldBe(new[] { ImagePublisher.ArchiveFileName, ImageReport.FileName, ImagePublisher.LayoutFolderName, ImageSbom.FileName, Modulus.Report.ReportPage.FileName }.Order(StringComparer.Ordinal));
        Directory.EnumerateFiles(plan.BlobCacheDirectory, "*.partial", SearchOption.AllDirectories).ShouldBeEmpty();
    }

    [Test]
    public async Task What_a_killed_publish_left_is_removed_and_what_a_running_one_writes_is_kept()
    {
        var plan = Plan(_temp.Path, "first");
        var output = plan.OutputDirectory;
        var blobs = Path.Combine(plan.BlobCacheDirectory, "sha256");
        var stale = DateTime.UtcNow.AddDays(-2);
        var killedGeneration = Folder(output, $".modulus-next.{DeadPid}.0123456789abcdef", DateTime.UtcNow);
        var killedOld = Folder(output, $".modulus-old.{DeadPid}.0123456789abcdef", DateTime.UtcNow);
        var earlierVersionLayout = Folder(output, ".oci-layout.0123456789abcdef.tmp", stale);
        var earlierVersionTar = FileAt(output, ".image.tar.0123456789abcdef.tmp", stale);
        var runningGeneration = Folder(output, $".modulus-next.{Environment.ProcessId}.0123456789abcdef", DateTime.UtcNow);
        var runningEarlierVersion = Folder(output, ".oci-layout.fedcba9876543210.tmp", DateTime.UtcNow);
        var userFile = FileAt(output, ".keep", stale);
        var killedPartial = FileAt(blobs, $".{DeadPid}.0123456789abcdef.partial", DateTime.UtcNow);
        var earlierVersionPartial = FileAt(blobs, ".0123456789abcdef.partial", stale);
        var runningPartial = FileAt(blobs, $".{Environment.ProcessId}.fedcba9876543210.partial", DateTime.UtcNow);
        var runningEarlierPartial = FileAt(blobs, ".fedcba9876543210.partial", DateTime.UtcNow);

        await ImagePublisher.PublishAsync(plan, RecordingLog.Clean(), CancellationToken.None);

        new[] { killedGeneration, killedOld, earlierVersionLayout, earlierVersionTar, killedPartial, earlierVersionPartial }
            .Where(Path.Exists).ShouldBeEmpty();
        new[] { runningGeneration, runningEarlierVersion, userFile, runningPartial, runningEarlierPartial }
            .Where(p => !Path.Exists(p)).ShouldBeEmpty();
    }

    /// <summary>The manifest digest modulus-image.json, the layout's index.json and the tar's index.json name.</summary>
    private static (string Report, string Layout, string Archive) Digests(string output)
    {
        var report = ImageReport.TryRead(Path.Combine(output, ImageReport.FileName))!.ManifestDigest.ToString();
        var layout = IndexDigest(File.ReadAllBytes(Path.Combine(output, ImagePublisher.LayoutFolderName, "index.json")));
        using var tar = new TarReader(File.OpenRead(Path.Combine(output, ImagePublisher.ArchiveFileName)));
        string? archive = null;
        while (tar.GetNextEntry() is { } entry)
        {
            if (entry.Name != "index.json") continue;
            using var bytes = new MemoryStream();
            entry.DataStream!.CopyTo(bytes);
            archive = IndexDigest(bytes.ToArray());
        }
        return (report, layout, archive!);
    }

    private static (string, string, string) Same(string digest) => (digest, digest, digest);

    private static string IndexDigest(byte[] index) =>
        JsonDocument.Parse(index).RootElement.GetProperty("manifests")[0].GetProperty("digest").GetString()!;

    private static string[] Hidden(string folder) =>
        Directory.EnumerateFileSystemEntries(folder, ".*").ToArray();

    private static string Folder(string parent, string name, DateTime time)
    {
        var path = Path.Combine(parent, name);
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "blob"), "left behind");
        Directory.SetLastWriteTimeUtc(path, time);
        return path;
    }

    private static string FileAt(string parent, string name, DateTime time)
    {
        Directory.CreateDirectory(parent);
        var path = Path.Combine(parent, name);
        File.WriteAllText(path, "left behind");
        File.SetLastWriteTimeUtc(path, time);
        return path;
    }

    /// <summary>A project whose one file says <paramref name="content"/>, so each content gives another image.</summary>
    private static ImagePlan Plan(string folder, string content)
    {
        File.WriteAllText(Path.Combine(folder, "tool.sh"), $"#!/bin/sh\necho {content}\n");
        // One time for every content: the fingerprint reads sizes and times, and going back to the
        // first content must look like the first inputs.
        File.SetLastWriteTimeUtc(Path.Combine(folder, "tool.sh"), new DateTime(2030, 1, 2, 3, 4, 5, DateTimeKind.Utc));
        return new ImagePlan
        {
            BaseImage = Modulus.Sources.BaseImageSource.Scratch,
            ProjectDirectory = folder,
            Platform = Platform.LinuxAmd64,
            Files = [new PlannedFile("tool.sh", Path.Combine(folder, "tool.sh"), null, "/usr/local/bin/", "tool.sh", PermissionMode.Parse("0755", "tool.sh"), null, SourceLocation.Unknown)],
            Config = new ConfigChanges { Entrypoint = ["/usr/local/bin/tool.sh"] },
            Repository = "outputs/image",
            Tags = ["v1"],
            Timestamp = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000),
            OutputDirectory = Path.Combine(folder, "publish"),
            IntermediateDirectory = Path.Combine(folder, "obj"),
            BlobCacheDirectory = Path.Combine(folder, "cache"),
        };
    }

    /// <summary>A log that fails like a full disk when the publish says it starts the step named by <paramref name="line"/>.</summary>
    private sealed class FailingLog(string line) : IBuildLog
    {
        public void Write(Importance importance, string message)
        {
            if (message.StartsWith(line, StringComparison.Ordinal)) throw new IOException("No space left on device");
        }

        public void Report(Diagnostic diagnostic)
        {
        }
    }
}
