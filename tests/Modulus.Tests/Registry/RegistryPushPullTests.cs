using System.Collections.Concurrent;
using System.Text.Json;
using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Oci;
using Modulus.Registry;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Registry;

/// <summary>Pull and push against a real registry without authentication.</summary>
[NonParallelizable]
public class RegistryPushPullTests : RegistryTest
{
    [Test]
    public async Task A_pushed_image_pulls_back_by_tag_with_the_same_config_and_layers()
    {
        var store = Kit.NewStore();
        var image = TestImages.Unique(store, "by-tag");
        var target = RegistryTestKit.Reference(Registry.Address, "app/by-tag", "v1");

        var summary = await RegistryPusher.PushAsync(image, target, [], store, Kit.Options);
        var pulled = await Pull(target);

        summary.ManifestDigest.ShouldBe(image.ManifestDigest);
        summary.Tags.ShouldBe(["v1"]);
        summary.Uploaded.Select(d => d.Digest).ShouldBe(TestImages.BlobDigests(image));
        RegistryTestKit.ShouldBeTheSameImage(pulled, image);
    }

    [Test]
    public async Task A_pulled_base_whose_config_promises_other_layers_or_another_platform_is_refused()
    {
        var store = Kit.NewStore();
        var image = TestImages.Unique(store, "lying-config");
        var otherDiffId = Digest.Compute("not the layer"u8).ToString();
        var lying = new Image(image.Config.With(root => root["rootfs"]!["diff_ids"]![0] = otherDiffId), image.Layers);
        var arm = new Image(image.Config.With(root => root["architecture"] = "arm64"), image.Layers);
        await RegistryPusher.PushAsync(lying, RegistryTestKit.Reference(Registry.Address, "app/lying", "v1"), [], store, Kit.Options);
        await RegistryPusher.PushAsync(arm, RegistryTestKit.Reference(Registry.Address, "app/arm", "v1"), [], store, Kit.Options);

        var wrongLayer = await Should.ThrowAsync<ModulusException>(() =>
            Pull(RegistryTestKit.Reference(Registry.Address, "app/lying", "v1")));
        var wrongPlatform = await Should.ThrowAsync<ModulusException>(() =>
            Pull(RegistryTestKit.Reference(Registry.Address, "app/arm", "v1")));

        wrongLayer.Code.ShouldBe("MOD2003");
        wrongLayer.Message.ShouldContain(otherDiffId);
        wrongPlatform.Code.ShouldBe("MOD2005");
    }

    [Test]
    public async Task A_pull_by_digest_verifies_the_manifest_and_needs_no_network_once_stored()
    {
        var store = Kit.NewStore();
        var image = TestImages.Unique(store, "by-digest");
        await RegistryPusher.PushAsync(image, RegistryTestKit.Reference(Registry.Address, "app/by-digest", "v1"), [], store, Kit.Options);
        var pullStore = Kit.NewStore();

        var byDigest = ImageReference.Parse($"{Registry.Address}/app/by-digest@{image.ManifestDigest}");
        RegistryTestKit.ShouldBeTheSameImage(await RegistryImageSource.PullAsync(byDigest, Platform.LinuxAmd64, pullStore, Kit.Options), image);

        // Nothing listens on this port: the second pull must come from the store alone.
        var offline = ImageReference.Parse($"127.0.0.1:{RegistryServer.FreePort()}/app/by-digest@{image.ManifestDigest}");
        RegistryTestKit.ShouldBeTheSameImage(await RegistryImageSource.PullAsync(offline, Platform.LinuxAmd64, pullStore, Kit.Options), image);
    }

    [Test]
    public async Task A_fresh_tag_record_spares_the_network_a_stale_one_asks_but_works_offline_and_a_refresh_insists()
    {
        var store = Kit.NewStore();
        var image = TestImages.Unique(store, "tag-record");
        await RegistryPusher.PushAsync(image, RegistryTestKit.Reference(Registry.Address, "app/tag-record", "v1"), [], store, Kit.Options);
        var pullStore = Kit.NewStore();
        ImageReference reference;
        using (var proxy = new FaultProxy(Registry.Port, _ => null, maxFaults: 0))
        {
            reference = RegistryTestKit.Reference(proxy.Address, "app/tag-record", "v1");
            await RegistryImageSource.PullAsync(reference, Platform.LinuxAmd64, pullStore, Kit.Options);
        }

        // The proxy is gone, so only the record can resolve the tag.
        RegistryTestKit.ShouldBeTheSameImage(await RegistryImageSource.PullAsync(reference, Platform.LinuxAmd64, pullStore, Kit.Options), image);
        Kit.Log.ShouldBeEmpty("a fresh record asks nothing");
        var offline = Kit.Options with { MaxAttempts = 1 };
        RegistryTestKit.ShouldBeTheSameImage(
            await RegistryImageSource.PullAsync(reference, Platform.LinuxAmd64, pullStore, offline with { TagTimeToLive = TimeSpan.Zero }), image);
        Kit.Log.ShouldContain(l => l.Contains("cannot be reached") && l.Contains(image.ManifestDigest.ToString()), "a stale record is asked again, and used when the registry is away");
        await RegistryTestKit.FailsWith(Errors.RegistryUnreachable,
            () => RegistryImageSource.PullAsync(reference, Platform.LinuxAmd64, pullStore, offline with { RefreshTags = true }));
    }

    [Test]
    public async Task Resolving_a_tag_follows_it_when_it_moves_once_the_record_is_stale()
    {
        var store = Kit.NewStore();
        var first = TestImages.Unique(store, "resolve-first", layerCount: 1);
        var second = TestImages.Unique(store, "resolve-second", layerCount: 1);
        var reference = RegistryTestKit.Reference(Registry.Address, "app/resolve", "v1");
        await RegistryPusher.PushAsync(first, reference, [], store, Kit.Options);
        var buildStore = Kit.NewStore();

        (await RegistryImageSource.ResolveAsync(reference, buildStore, Kit.Options)).ShouldBe(first.ManifestDigest);
        await RegistryPusher.PushAsync(second, reference, [], store, Kit.Options);

        (await RegistryImageSource.ResolveAsync(reference, buildStore, Kit.Options)).ShouldBe(first.ManifestDigest, "the record is fresh");
        (await RegistryImageSource.ResolveAsync(reference, buildStore, Kit.Options with { RefreshTags = true })).ShouldBe(second.ManifestDigest);
        RegistryTestKit.ShouldBeTheSameImage(await RegistryImageSource.PullAsync(reference, Platform.LinuxAmd64, buildStore, Kit.Options), second);
    }

    [Test]
    public async Task Pushing_the_same_image_again_uploads_nothing()
    {
        var store = Kit.NewStore();
        var image = TestImages.Unique(store, "repush");
        var target = RegistryTestKit.Reference(Registry.Address, "app/repush", "v1");
        await RegistryPusher.PushAsync(image, target, [], store, Kit.Options);

        var again = await RegistryPusher.PushAsync(image, target, ["v1", "v2"], store, Kit.Options);

        again.Uploaded.ShouldBeEmpty();
        again.Mounted.ShouldBeEmpty();
        again.AlreadyPresent.Select(d => d.Digest).ShouldBe(TestImages.BlobDigests(image));
        again.ToString().ShouldContain("0 blob(s) uploaded");
        await ShouldPullBackAs(RegistryTestKit.Reference(Registry.Address, "app/repush", "v2"), image);
    }

    [Test]
    public async Task Blobs_pushed_to_one_repository_are_mounted_into_another()
    {
        var (image, second) = await PushToTwoRepositories("mount", "team/first", "team/second");

        second.Mounted.Select(d => d.Digest).ShouldBe(TestImages.BlobDigests(image));
        second.Uploaded.ShouldBeEmpty();
        await ShouldPullBackAs(RegistryTestKit.Reference(Registry.Address, "team/second"), image);
    }

    [Test]
    public async Task Base_layers_pulled_from_the_registry_are_mounted_when_a_derived_image_is_pushed()
    {
        var pushStore = Kit.NewStore();
        var baseImage = TestImages.Unique(pushStore, "derived-base");
        await RegistryPusher.PushAsync(baseImage, RegistryTestKit.Reference(Registry.Address, "team/base", "v1"), [], pushStore, Kit.Options);
        var buildStore = Kit.NewStore();
        var pulledBase = await RegistryImageSource.PullAsync(RegistryTestKit.Reference(Registry.Address, "team/base", "v1"), Platform.LinuxAmd64, buildStore, Kit.Options);
        var derived = ImageBuilder.Build(pulledBase, [new AppendedLayer(TestImages.Unique(buildStore, "derived-app", layerCount: 1).Layers[0], "app")], new ConfigChanges(), TestImages.Created);

        var summary = await RegistryPusher.PushAsync(derived, RegistryTestKit.Reference(Registry.Address, "team/app", "v1"), [], buildStore, Kit.Options);

        summary.Mounted.Select(d => d.Digest).ShouldBe(baseImage.Layers.Select(l => l.Digest));
        summary.Uploaded.Select(d => d.Digest).ShouldBe([derived.ConfigDigest, derived.Layers[^1].Digest]);
    }

    [Test]
    public async Task Chunked_uploads_store_the_same_blobs()
    {
        var store = Kit.NewStore();
        var image = TestImages.Unique(store, "chunked", padding: 300_000);
        var requests = new ConcurrentQueue<ProxiedRequest>();
        using var proxy = new FaultProxy(Registry.Port, r => { requests.Enqueue(r); return null; }, maxFaults: 0);
        var options = Kit.Options with { UploadMode = UploadMode.Chunked, ChunkSize = 64 * 1024 };

        var summary = await RegistryPusher.PushAsync(image, RegistryTestKit.Reference(proxy.Address, "app/chunked", "v1"), [], store, options);

        var seen = string.Join("\n", requests.Select(r => $"{r.Method} {r.Path} {r.ContentLength}"));
        var patches = requests.Where(r => r.Method == "PATCH").ToArray();
        patches.Length.ShouldBeGreaterThanOrEqualTo(5, "300 kB of noise in 64 KiB chunks:\n" + seen);
        patches.ShouldAllBe(r => r.ContentLength > 0 && r.ContentLength <= 64 * 1024, seen);
        patches.Sum(r => r.ContentLength).ShouldBe(summary.Uploaded.Sum(d => d.Size), "every byte of every blob went in a chunk:\n" + seen);
        requests.Where(r => r.Method == "PUT" && r.Path.Contains("/blobs/uploads/", StringComparison.Ordinal))
            .ShouldAllBe(r => r.ContentLength == 0, "the closing PUT carries no body:\n" + seen);
        await ShouldPullBackAs(RegistryTestKit.Reference(Registry.Address, "app/chunked", "v1"), image);
    }

    [Test]
    public async Task Large_blobs_report_progress_in_both_directions()
    {
        var store = Kit.NewStore();
        var image = TestImages.Unique(store, "progress", padding: 600_000);
        var large = image.Layers[0];
        var target = RegistryTestKit.Reference(Registry.Address, "app/progress", "v1");
        var options = Kit.Options with { ProgressThreshold = 500_000, ProgressInterval = TimeSpan.Zero };
        var progress = new ProgressLog();

        await RegistryPusher.PushAsync(image, target, [], store, options, progress);
        await RegistryImageSource.PullAsync(target, Platform.LinuxAmd64, Kit.NewStore(), options, progress);

        foreach (var direction in new[] { TransferDirection.Push, TransferDirection.Pull })
        {
            var reports = progress.Reports.Where(r => r.Direction == direction).ToArray();
            reports.ShouldAllBe(r => r.Digest == large.Digest, "only blobs over the threshold report");
            reports.Length.ShouldBeGreaterThan(1);
            reports.Select(r => r.BytesTransferred).ShouldBeInOrder();
            reports[^1].ShouldSatisfyAllConditions(r => r.Completed.ShouldBeTrue(), r => r.BytesTransferred.ShouldBe(large.Size), r => r.BytesPerSecond.ShouldBeGreaterThan(0));
        }
    }

    [Test]
    public async Task An_index_resolves_to_the_requested_platform_and_an_absent_one_is_named()
    {
        var skopeo = Tools.Require("skopeo");
        var store = Kit.NewStore();
        var amd64 = TestImages.Unique(store, "multi-amd64", platform: Platform.LinuxAmd64);
        var arm64 = TestImages.Unique(store, "multi-arm64", platform: new Platform("arm64", "linux", "v8"));
        using var layout = new TempDirectory("layout");
        LayoutForSkopeo.Write(layout.Path, "multi", amd64, arm64);
        Tools.RunChecked(skopeo, ["copy", "--all", "--dest-tls-verify=false", $"oci:{layout.Path}:multi", $"docker://{Registry.Address}/app/multi:v1"]);
        var reference = RegistryTestKit.Reference(Registry.Address, "app/multi", "v1");
        var pullStore = Kit.NewStore();

        RegistryTestKit.ShouldBeTheSameImage(await RegistryImageSource.PullAsync(reference, Platform.Parse("linux/arm64"), pullStore, Kit.Options), arm64);
        RegistryTestKit.ShouldBeTheSameImage(await RegistryImageSource.PullAsync(reference, Platform.LinuxAmd64, pullStore, Kit.Options), amd64);
        var e = await RegistryTestKit.FailsWith(Errors.PlatformNotFound,
            () => RegistryImageSource.PullAsync(reference, Platform.Parse("linux/s390x"), pullStore, Kit.Options));
        e.Message.ShouldContain("linux/amd64, linux/arm64/v8");
    }

    [Test]
    public async Task Skopeo_reads_what_Modulus_pushed()
    {
        var skopeo = Tools.Require("skopeo");
        var store = Kit.NewStore();
        var image = TestImages.Unique(store, "skopeo-reads");
        var summary = await RegistryPusher.PushAsync(image, RegistryTestKit.Reference(Registry.Address, "app/skopeo-reads", "v1"), [], store, Kit.Options);

        var inspect = Tools.RunChecked(skopeo, ["inspect", "--tls-verify=false", $"docker://{Registry.Address}/app/skopeo-reads:v1"]);

        using var json = JsonDocument.Parse(inspect.StdOut);
        json.RootElement.GetProperty("Digest").GetString().ShouldBe(summary.ManifestDigest.ToString());
        json.RootElement.GetProperty("Layers").EnumerateArray().Select(l => l.GetString()).ShouldBe(image.Layers.Select(l => l.Digest.ToString()));
    }

    [Test]
    public async Task Modulus_pulls_what_skopeo_pushed()
    {
        var image = PushedBySkopeo("skopeo-pushed", "app/skopeo-pushed");

        await ShouldPullBackAs(RegistryTestKit.Reference(Registry.Address, "app/skopeo-pushed", "v1"), image);
    }

    [Test]
    public async Task A_Docker_schema_2_image_round_trips_with_its_media_types()
    {
        var store = Kit.NewStore();
        var oci = TestImages.Unique(store, "docker-types");
        var image = new Image(oci.Config, oci.Layers, MediaTypes.DockerManifest);
        var target = RegistryTestKit.Reference(Registry.Address, "app/docker-types", "v1");

        await RegistryPusher.PushAsync(image, target, [], store, Kit.Options);
        var pulled = await Pull(target);

        pulled.Manifest.MediaType.ShouldBe(MediaTypes.DockerManifest);
        pulled.Manifest.Layers.ShouldAllBe(l => l.MediaType == MediaTypes.DockerLayerGzip);
        RegistryTestKit.ShouldBeTheSameImage(pulled, image);
    }

    [Test]
    public async Task A_layer_of_an_unsupported_media_type_is_named_before_any_blob_moves()
    {
        var store = Kit.NewStore();
        var plain = TestImages.Unique(store, "zstd", layerCount: 1);
        var gzipLayer = (BlobLayer)plain.Layers[0];
        var zstd = new BlobLayer(gzipLayer.BlobPath, MediaTypes.OciLayerZstd, gzipLayer.Digest, gzipLayer.DiffId, gzipLayer.Size);
        var image = new Image(plain.Config, [zstd]);
        var target = RegistryTestKit.Reference(Registry.Address, "app/zstd", "v1");
        await RegistryPusher.PushAsync(image, target, [], store, Kit.Options);
        var pullStore = Kit.NewStore();

        var e = await RegistryTestKit.FailsWith(Errors.UnsupportedMediaType,
            () => RegistryImageSource.PullAsync(target, Platform.LinuxAmd64, pullStore, Kit.Options));

        e.Message.ShouldContain(MediaTypes.OciLayerZstd);
        pullStore.Contains(zstd.Digest).ShouldBeFalse();
    }

    [Test]
    public async Task A_missing_tag_is_reported_with_its_name()
    {
        var reference = RegistryTestKit.Reference(Registry.Address, "app/nothing-here", "v9");

        var e = await RegistryTestKit.FailsWith(Errors.RegistryManifestNotFound,
            () => Pull(reference));

        e.Message.ShouldContain($"{Registry.Address}/app/nothing-here:v9");
    }

    [Test]
    public async Task An_invalid_tag_is_refused_before_anything_is_sent()
    {
        var store = Kit.NewStore();
        var image = TestImages.Unique(store, "bad-tag", layerCount: 1);
        using var proxy = new FaultProxy(Registry.Port, _ => null, maxFaults: 0);

        // A valid tag first: a check made only when each tag is put would already have sent the blobs and v1.
        var e = await RegistryTestKit.FailsWith(Errors.InvalidTag,
            () => RegistryPusher.PushAsync(image, RegistryTestKit.Reference(proxy.Address, "app/bad-tag"), ["v1", "-nope"], store, Kit.Options));

        e.Message.ShouldContain("-nope");
        proxy.Events.ShouldBeEmpty();
    }
}
