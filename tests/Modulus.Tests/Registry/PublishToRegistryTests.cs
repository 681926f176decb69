using System.Text.Json;
using Modulus.Diagnostics;
using Modulus.Plan;
using Modulus.Oci;
using Modulus.Publishing;
using Modulus.Registry;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Registry;

/// <summary>The publisher with ContainerRegistry set and with a registry base image, against a real registry.</summary>
[NonParallelizable]
public class PublishToRegistryTests : RegistryTest
{
    private TempDirectory _project = null!;

    [SetUp]
    public void NewProject() => _project = new TempDirectory("publish");

    [TearDown]
    public void RemoveProject() => _project.Dispose();

    private ImagePlan Plan(string repository, string baseImage = "scratch") => new()
    {
        BaseImage = Modulus.Sources.BaseImageSource.Parse(baseImage, _project.Path),
        ProjectDirectory = _project.Path,
        Platform = Platform.LinuxAmd64,
        Files = [new PlannedFile("/srv/hello.txt", null, "hello from " + repository, null, "/srv/hello.txt", null, null, SourceLocation.Unknown)],
        Repository = repository,
        Tags = ["v1", "stable"],
        OutputDirectory = _project.Combine("publish"),
        IntermediateDirectory = _project.Combine("obj"),
        BlobCacheDirectory = _project.Combine("cache"),
        Registry = Registry.Address,
    };

    [Test]
    public async Task A_publish_pushes_every_tag_and_records_the_digest_in_the_report()
    {
        var log = new RecordingLog();

        var result = await ImagePublisher.PublishAsync(Plan("team/published"), log, CancellationToken.None);

        var pushed = result.Report.Pushed.ShouldNotBeNull();
        pushed.Digest.ShouldBe(result.Report.ManifestDigest);
        pushed.Reference.ShouldBe($"{Registry.Address}/team/published@{result.Report.ManifestDigest}");
        pushed.Tags.ShouldBe(["v1", "stable"]);
        using (var json = JsonDocument.Parse(File.ReadAllText(result.ReportPath)))
            json.RootElement.GetProperty("pushed").GetProperty("digest").GetString().ShouldBe(result.Report.ManifestDigest);
        log.Summaries.ShouldContain(s => s.StartsWith($"Pushed {Registry.Address}/team/published@", StringComparison.Ordinal));
        foreach (var tag in new[] { "v1", "stable" })
        {
            var pulled = await Pull(RegistryTestKit.Reference(Registry.Address, "team/published", tag));
            pulled.ManifestDigest.ToString().ShouldBe(result.Report.ManifestDigest);
        }
    }

    [Test]
    public async Task A_multi_platform_publish_pushes_both_images_then_the_index_which_skopeo_pulls_by_platform()
    {
        var arm64 = Platform.Parse("linux/arm64");
        var plan = Plan("team/multi") with { Platforms = [Platform.LinuxAmd64, arm64] };

        var result = await ImagePublisher.PublishAsync(plan, new RecordingLog(), CancellationToken.None);

        var pushed = result.Report.Pushed.ShouldNotBeNull();
        pushed.Digest.ShouldBe(result.Report.IndexDigest);
        var skopeo = Tools.Require("skopeo");
        foreach (var tag in new[] { "v1", "stable" })
        {
            var raw = Tools.RunChecked(skopeo, ["inspect", "--raw", "--tls-verify=false", $"docker://{Registry.Address}/team/multi:{tag}"]).StdOut;
            Digest.Compute(System.Text.Encoding.UTF8.GetBytes(raw)).ToString().ShouldBe(result.Report.IndexDigest);
        }
        using var copied = new TempDirectory("copied");
        Tools.RunChecked(skopeo, ["--insecure-policy", "copy", "--override-arch", "arm64", "--src-tls-verify=false",
            $"docker://{Registry.Address}/team/multi:v1", $"oci:{copied.Path}:arm"]);
        var arm = Modulus.Sources.BaseImageLoader.Load($"oci-layout:{copied.Path}:arm", copied.Path, arm64, Kit.NewStore());
        arm.ManifestDigest.ToString().ShouldBe(result.Report.Platforms![1].ManifestDigest);
        arm.Platform.Architecture.ShouldBe("arm64");
        (await RegistryImageSource.PullAsync(RegistryTestKit.Reference(Registry.Address, "team/multi", "stable"), arm64, Kit.NewStore(), Kit.Options))
            .ManifestDigest.ToString().ShouldBe(result.Report.Platforms[1].ManifestDigest);
        (await Pull(RegistryTestKit.Reference(Registry.Address, "team/multi", "v1"))).ManifestDigest.ToString().ShouldBe(result.Report.Platforms[0].ManifestDigest);

        // Up to date, the index is pushed again from the layout, and nothing is uploaded.
        var log = new RecordingLog();
        var again = await ImagePublisher.PublishAsync(plan, log, CancellationToken.None);
        again.UpToDate.ShouldBeTrue();
        again.Report.Pushed!.Digest.ShouldBe(result.Report.IndexDigest);
        log.Summaries.ShouldContain(s => s.Contains("0 blob(s) uploaded", StringComparison.Ordinal));
    }

    [Test]
    public async Task An_up_to_date_image_is_still_pushed_and_uploads_nothing()
    {
        var plan = Plan("team/again");
        await ImagePublisher.PublishAsync(plan, new RecordingLog(), CancellationToken.None);
        var log = new RecordingLog();

        var again = await ImagePublisher.PublishAsync(plan, log, CancellationToken.None);

        again.UpToDate.ShouldBeTrue();
        again.Report.Pushed.ShouldNotBeNull().Digest.ShouldBe(again.Report.ManifestDigest);
        log.Summaries.ShouldContain(s => s.Contains("0 blob(s) uploaded", StringComparison.Ordinal) && s.Contains("2 already present", StringComparison.Ordinal));
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task A_cached_layer_damaged_after_the_publish_is_pushed_with_the_right_bytes(bool multiPlatform)
    {
        var plan = Plan("team/damaged") with { Registry = null, Platforms = multiPlatform ? [Platform.LinuxAmd64, Platform.Parse("linux/arm64")] : [] };
        var published = (await ImagePublisher.PublishAsync(plan, RecordingLog.Clean(), CancellationToken.None)).Report;
        var layer = Digest.Parse((multiPlatform ? published.Platforms![1].Layers : published.Layers)[^1].Digest);
        var blob = new Modulus.Storage.BlobStore(plan.BlobCacheDirectory).PathOf(layer);
        var bytes = File.ReadAllBytes(blob);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(blob, bytes);
        var log = new RecordingLog();

        var pushed = await ImagePublisher.PublishAsync(plan with { Registry = Registry.Address }, log, CancellationToken.None);

        pushed.Report.Pushed.ShouldNotBeNull().Digest.ShouldBe(multiPlatform ? published.IndexDigest : published.ManifestDigest);
        log.Diagnostics.ShouldContain(d => d.Code == "MOD2220" && d.Severity == DiagnosticSeverity.Warning);
        var pulled = multiPlatform
            ? await RegistryImageSource.PullAsync(RegistryTestKit.Reference(Registry.Address, "team/damaged", "v1"), Platform.Parse("linux/arm64"), Kit.NewStore(), Kit.Options)
            : await Pull(RegistryTestKit.Reference(Registry.Address, "team/damaged", "v1"));
        using var blobStream = pulled.Layers.Single(l => l.Digest == layer).OpenBlob();
        Digest.Compute(blobStream).ShouldBe(layer, "the registry holds the right bytes");
    }

    [Test]
    public async Task A_damaged_cached_config_of_a_registry_base_is_pulled_again_and_the_image_keeps_the_base_settings()
    {
        var store = Kit.NewStore();
        var baseImage = TestImages.Unique(store, "publish-damaged-config", layerCount: 1);
        var baseReference = RegistryTestKit.Reference(Registry.Address, "team/config-base", "v1");
        await RegistryPusher.PushAsync(baseImage, baseReference, [], store, Kit.Options);
        var plan = Plan("team/config-derived", baseImage: baseReference.ToString()) with { Registry = null };
        var first = await ImagePublisher.PublishAsync(plan, RecordingLog.Clean(), CancellationToken.None);
        var cached = new Modulus.Storage.BlobStore(plan.BlobCacheDirectory).PathOf(baseImage.ConfigDigest);
        var bytes = File.ReadAllBytes(cached);
        var at = bytes.AsSpan().IndexOf("/app/run"u8);
        at.ShouldBeGreaterThanOrEqualTo(0);
        bytes[at + 7] = (byte)'m'; // "/app/rum": what a failing disk makes of the base's command
        File.WriteAllBytes(cached, bytes);
        var log = new RecordingLog();

        var again = await ImagePublisher.PublishAsync(plan with { OutputDirectory = _project.Combine("again"), IntermediateDirectory = _project.Combine("again-obj") },
            log, CancellationToken.None);

        again.Report.ManifestDigest.ShouldBe(first.Report.ManifestDigest);
        var config = Modulus.Oci.ImageConfig.Parse(File.ReadAllBytes(Path.Combine(again.Report.LayoutPath, "blobs", "sha256", Digest.Parse(again.Report.ConfigDigest).Encoded)), "config");
        config.Cmd.ShouldBe(["/app/run"]);
        log.Diagnostics.ShouldContain(d => d.Code == "MOD2220" && d.Severity == DiagnosticSeverity.Warning && d.Text.Contains(baseImage.ConfigDigest.ToString()));
    }

    [Test]
    public async Task A_registry_base_with_a_hostile_layer_fails_the_publish_though_the_project_adds_no_file()
    {
        var hostile = TarLayer.Of(
            TarLayer.File("srv/ok.txt", "ok"),
            new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.HardLink, "srv/passwd") { LinkName = "../../../etc/passwd" });
        var baseImage = Modulus.Images.ImageBuilder.Build(Modulus.Images.Image.Scratch(Platform.LinuxAmd64),
            [new Modulus.Images.AppendedLayer(hostile, "hostile")], new Modulus.Images.ConfigChanges(), TestImages.Created);
        var baseReference = RegistryTestKit.Reference(Registry.Address, "team/hostile-base", "v1");
        await RegistryPusher.PushAsync(baseImage, baseReference, [], Kit.NewStore(), Kit.Options);
        var plan = Plan("team/on-hostile", baseImage: baseReference.ToString()) with { Registry = null, Files = [] };

        var error = await Should.ThrowAsync<ModulusException>(() => ImagePublisher.PublishAsync(plan, new RecordingLog(), CancellationToken.None));

        error.Code.ShouldBe("MOD2102");
        error.Message.ShouldContain(hostile.Digest.ToString());
        error.Message.ShouldContain("../../../etc/passwd");
        Directory.Exists(plan.OutputDirectory).ShouldBeFalse("nothing is written to the outputs");
    }

    [Test]
    public async Task A_registry_base_image_is_pulled_and_a_refreshed_tag_that_moved_rebuilds_the_image()
    {
        var store = Kit.NewStore();
        var first = TestImages.Unique(store, "publish-base-first", layerCount: 1);
        var second = TestImages.Unique(store, "publish-base-second", layerCount: 1);
        var baseReference = RegistryTestKit.Reference(Registry.Address, "team/base", "v1");
        await RegistryPusher.PushAsync(first, baseReference, [], store, Kit.Options);
        var plan = Plan("team/derived", baseImage: baseReference.ToString()) with { Registry = null };

        var built = await ImagePublisher.PublishAsync(plan, new RecordingLog(), CancellationToken.None);
        await RegistryPusher.PushAsync(second, baseReference, [], store, Kit.Options);
        var unchanged = await ImagePublisher.PublishAsync(plan, new RecordingLog(), CancellationToken.None);
        var refreshed = await ImagePublisher.PublishAsync(plan with { RefreshBaseImage = true }, new RecordingLog(), CancellationToken.None);

        built.Report.Layers[0].Digest.ShouldBe(first.Layers[0].Digest.ToString());
        unchanged.UpToDate.ShouldBeTrue("the tag was resolved within the hour: no request, no rebuild");
        refreshed.UpToDate.ShouldBeFalse();
        refreshed.Report.Layers[0].Digest.ShouldBe(second.Layers[0].Digest.ToString());
    }
}
