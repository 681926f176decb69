using Modulus.Plan;
using Modulus.Diagnostics;
using Modulus.Layers;
using Modulus.Oci;
using Modulus.Publishing;
using Modulus.Storage;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Pipeline;

/// <summary>
/// A rebuild writes only the layers whose inputs changed: the others come from the store's memo
/// (Storage/LayerMemo), the same blobs, not tarred and compressed again.
/// </summary>
public class LayerWritesPerPublishTests
{
    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory("layer-writes");

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public async Task A_second_publish_after_a_project_file_changed_writes_only_the_files_layer()
    {
        var plan = Plan();
        var first = (await ImagePublisher.PublishAsync(plan, new RecordingLog(DiagnosticSeverity.Error), CancellationToken.None)).Report;
        File.WriteAllText(Path.Combine(plan.ProjectDirectory, "tool.sh"), "#!/bin/sh\necho changed\n");

        var writes = LayerWrites.Start();
        var log = new RecordingLog(DiagnosticSeverity.Error);
        var second = (await ImagePublisher.PublishAsync(plan, log, CancellationToken.None)).Report;

        first.Layers.Count.ShouldBe(2, "the files layer and the app's layer");
        log.Progresses.ShouldContain(l => l.StartsWith("Layer 'Modulus: app app' is unchanged: reused sha256:", StringComparison.Ordinal));
        log.Progresses.ShouldNotContain(l => l.StartsWith("Writing layer 'Modulus: app app'", StringComparison.Ordinal));
        log.Progresses.ShouldContain(l => l.StartsWith("Writing layer 'Modulus: files of the project': done", StringComparison.Ordinal));
        var (files, app) = (second.Layers[0], second.Layers[1]);
        writes.Select(d => d.ToString()).ShouldBe([files.DiffId], "only the files layer is written again");
        files.Digest.ShouldNotBe(first.Layers[0].Digest);
        (app.Digest, app.DiffId, app.Size).ShouldBe((first.Layers[1].Digest, first.Layers[1].DiffId, first.Layers[1].Size));
    }

    [Test]
    public async Task A_second_publish_of_the_same_project_writes_no_layer()
    {
        var plan = Plan();
        var first = (await ImagePublisher.PublishAsync(plan, new RecordingLog(DiagnosticSeverity.Error), CancellationToken.None)).Report;

        var writes = LayerWrites.Start();
        var second = (await ImagePublisher.PublishAsync(plan, new RecordingLog(DiagnosticSeverity.Error), CancellationToken.None)).Report;

        writes.ShouldBeEmpty();
        second.ManifestDigest.ShouldBe(first.ManifestDigest);
    }

    [Test]
    public async Task A_first_publish_reads_an_app_file_twice_once_to_hash_it_and_once_to_write_it()
    {
        var plan = Plan();
        var dll = Path.Combine(plan.ProjectDirectory, "app.dll");

        var reads = SourceReads.Start();
        await ImagePublisher.PublishAsync(plan, new RecordingLog(DiagnosticSeverity.Error), CancellationToken.None);

        // The fingerprint and the layer's memo key share one hash of the file; the writer reads it again to tar it.
        reads.GetValueOrDefault(dll).ShouldBe(2);
    }

    [Test]
    public async Task A_publish_whose_app_layer_is_known_reads_the_app_file_once_to_hash_it()
    {
        var plan = Plan();
        var dll = Path.Combine(plan.ProjectDirectory, "app.dll");
        await ImagePublisher.PublishAsync(plan, new RecordingLog(DiagnosticSeverity.Error), CancellationToken.None);
        File.WriteAllText(Path.Combine(plan.ProjectDirectory, "tool.sh"), "#!/bin/sh\necho changed\n");

        var reads = SourceReads.Start();
        await ImagePublisher.PublishAsync(plan, new RecordingLog(DiagnosticSeverity.Error), CancellationToken.None);

        reads.GetValueOrDefault(dll).ShouldBe(1);
    }

    /// <summary>A project with one host file in the files layer and an app of one file in a layer of its own.</summary>
    private ImagePlan Plan()
    {
        var folder = _temp.Combine("project");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "tool.sh"), "#!/bin/sh\necho first\n");
        var dll = Path.Combine(folder, "app.dll");
        File.WriteAllBytes(dll, [0x4d, 0x5a, 1, 2, 3]);
        return new ImagePlan
        {
            BaseImage = Modulus.Sources.BaseImageSource.Scratch,
            ProjectDirectory = folder,
            Platform = Platform.LinuxAmd64,
            Files = [new PlannedFile("tool.sh", Path.Combine(folder, "tool.sh"), null, "/usr/local/bin/", "tool.sh", PermissionMode.Parse("0755", "tool.sh"), null, SourceLocation.Unknown)],
            Apps = [new PlannedApp("../app/app.csproj", "app", "/srv/app/", null, null, [new PlannedAppFile(dll, "app.dll", false)], SourceLocation.Unknown)],
            Repository = "test/layer-writes",
            Tags = ["v1"],
            Timestamp = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000),
            OutputDirectory = Path.Combine(folder, "publish"),
            IntermediateDirectory = Path.Combine(folder, "obj"),
            BlobCacheDirectory = _temp.Combine("cache"),
        };
    }
}
