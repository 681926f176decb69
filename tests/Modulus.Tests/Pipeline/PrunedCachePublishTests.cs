using Modulus.Contract;
using Modulus.Debian;
using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Layers;
using Modulus.Npm;
using Modulus.Oci;
using Modulus.Plan;
using Modulus.Publishing;
using Modulus.Sinks;
using Modulus.Sources;
using Modulus.Storage;
using Modulus.Tests.Debian;
using Modulus.Tests.Npm;
using Modulus.Tests.TestSupport;
using static Modulus.Tests.Debian.DebFixture;

namespace Modulus.Tests.Pipeline;

/// <summary>
/// Whatever a prune of the blob cache removed, the next publish fetches, unpacks, extracts or
/// writes it again and gives the same image; a publish holds the cache so that a prune meanwhile
/// removes nothing; and a publish prunes the cache to its limit (docs/images.md, "The blob cache's size").
/// </summary>
public class PrunedCachePublishTests : SignedMirrorTest
{
    protected override string FolderPrefix => "pruned-publish";

    [SetUp]
    public void AddPackages()
    {
        Mirror.Add("hello", "1.0", Build("hello", "1.0", [new("./usr/bin/hello", Content: "#!/bin/sh\necho hello\n", Mode: 0b111_101_101)]));
        Mirror.Publish();
    }

    [Test]
    public async Task A_publish_after_a_prune_to_nothing_or_to_half_gives_the_same_manifest()
    {
        var plan = RunImagePlan();
        var first = await Publish(plan, "first");
        var cache = BlobCacheInfo.Of(plan.BlobCacheDirectory, null);
        cache.Areas.Select(a => a.Name).ShouldBe(
            ["debian/indexes", "debian/unpacked", "diffids", "layer-entries", "layers", "package-records", "sha256"], ignoreOrder: true,
            customMessage: "every kind of unit a Debian publish on a layout base makes");

        var half = await BlobCachePruner.PruneAsync(plan.BlobCacheDirectory, cache.Size / 2, CancellationToken.None);
        half.Removed.ShouldBeGreaterThan(0);
        var afterHalf = await Publish(plan, "after-half");
        var emptied = await BlobCachePruner.PruneAsync(plan.BlobCacheDirectory, 0, CancellationToken.None);
        emptied.SizeAfter.ShouldBe(0);
        var afterNothing = await Publish(plan, "after-nothing");

        afterHalf.Report.ManifestDigest.ShouldBe(first.Report.ManifestDigest);
        afterNothing.Report.ManifestDigest.ShouldBe(first.Report.ManifestDigest);
        BlobCacheInfo.Of(plan.BlobCacheDirectory, null).Areas.Select(a => a.Name)
            .ShouldBe(cache.Areas.Select(a => a.Name), ignoreOrder: true, customMessage: "all made again");
    }

    [Test]
    public async Task A_publish_marks_every_unit_it_takes_from_the_cache_as_used()
    {
        var plan = RunImagePlan();
        var first = await Publish(plan, "first");
        var longAgo = DateTime.UtcNow.AddDays(-30);
        foreach (var unit in BlobCacheUnits.List(plan.BlobCacheDirectory))
        {
            if (unit.IsFolder) Directory.SetLastWriteTimeUtc(unit.Path, longAgo);
            else File.SetLastWriteTimeUtc(unit.Path, longAgo);
        }

        var again = await Publish(plan, "again");

        again.Report.ManifestDigest.ShouldBe(first.Report.ManifestDigest, "touching changes no byte");
        var untouched = BlobCacheUnits.List(plan.BlobCacheDirectory).Where(u => u.LastUse < DateTime.UtcNow.AddDays(-1)).ToArray();
        // The .deb is not read while its unpacked folder is there: it ages out first, as it should.
        untouched.Select(u => (Path.GetFileName(Path.GetDirectoryName(u.Path)), System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(u.Path), 0, 8)))
            .ShouldBe([("sha256", "!<arch>\n")], string.Join(", ", untouched.Select(u => u.Path)));
    }

    [Test]
    public async Task A_prune_while_a_publish_runs_removes_nothing_and_the_publish_ends_with_the_same_image()
    {
        var plan = RunImagePlan();
        var first = await Publish(plan, "first");
        var before = BlobCacheUnits.List(plan.BlobCacheDirectory).Select(u => u.Path).Order().ToArray();
        // A publish that has begun: it holds the lock as PublishAsync does, for its whole run.
        var running = await BlobCacheLock.ShareAsync(plan.BlobCacheDirectory, CancellationToken.None);

        var prune = BlobCachePruner.PruneAsync(plan.BlobCacheDirectory, 0, CancellationToken.None, TimeSpan.FromSeconds(60));
        var automatic = BlobCachePruner.AfterPublish(plan.BlobCacheDirectory, 0);
        var other = await Publish(plan, "meanwhile");
        await Task.Delay(200);

        automatic.ShouldBeNull("the automatic prune skips while a publish runs");
        prune.IsCompleted.ShouldBeFalse("the explicit prune waits");
        BlobCacheUnits.List(plan.BlobCacheDirectory).Select(u => u.Path).Order().ToArray().ShouldBe(before, customMessage: "nothing removed");
        other.Report.ManifestDigest.ShouldBe(first.Report.ManifestDigest);
        running.Dispose();
        (await prune).SizeAfter.ShouldBe(0, "once the publish ended");
    }

    [Test]
    public async Task A_publish_holds_the_cache_while_it_runs_and_lets_it_go_when_it_ends()
    {
        var plan = RunImagePlan();
        var prunableMidway = new List<bool>();
        var watching = new WatchingHandler(Mirror, () =>
        {
            using var exclusive = BlobCacheLock.TryExclusive(plan.BlobCacheDirectory);
            prunableMidway.Add(exclusive is not null);
        });

        await ImagePublisher.PublishAsync(plan, declared: null, new RecordingLog(), CancellationToken.None, null, () => new HttpClient(watching, disposeHandler: false));

        prunableMidway.ShouldNotBeEmpty("the mirror was asked");
        prunableMidway.ShouldAllBe(p => !p, "no prune could start while the publish asked the mirror");
        using var after = BlobCacheLock.TryExclusive(plan.BlobCacheDirectory);
        after.ShouldNotBeNull("released at the end");
    }

    /// <summary>Calls <paramref name="onRequest"/> before passing each request to <paramref name="inner"/>.</summary>
    private sealed class WatchingHandler(HttpMessageHandler inner, Action onRequest) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            onRequest();
            return base.SendAsync(request, cancellationToken);
        }
    }

    [Test]
    public async Task A_publish_prunes_the_cache_to_its_limit_least_recently_used_first()
    {
        var plan = RunImagePlan();
        // What another project used long ago: it goes first.
        var stale = Store.Put(new byte[200_000]);
        var staleStore = new BlobStore(plan.BlobCacheDirectory);
        using (var file = File.OpenRead(Store.PathOf(stale))) staleStore.Import(file, stale, "test");
        File.SetLastWriteTimeUtc(staleStore.PathOf(stale), DateTime.UtcNow.AddDays(-60));
        var warm = await Publish(plan, "warm");
        var size = BlobCacheInfo.Of(plan.BlobCacheDirectory, null).Size;
        File.Delete(Path.Combine(plan.BlobCacheDirectory, ".checked"));
        var log = new RecordingLog();

        var limited = await ImagePublisher.PublishAsync(plan with { BlobCacheLimit = size - 4096, OutputDirectory = Temp.Combine("out-limited") },
            declared: null, log, CancellationToken.None, null, () => new HttpClient(Mirror));

        limited.Report.ManifestDigest.ShouldBe(warm.Report.ManifestDigest);
        File.Exists(staleStore.PathOf(stale)).ShouldBeFalse("the least recently used");
        var after = BlobCacheInfo.Of(plan.BlobCacheDirectory, null).Size;
        after.ShouldBeLessThanOrEqualTo((long)((size - 4096) * BlobCacheLimit.LowMark));
        log.Summaries.ShouldContain(l => l.StartsWith($"Pruned the blob cache {plan.BlobCacheDirectory}: removed ", StringComparison.Ordinal), string.Join("\n", log.Summaries));
        var again = await Publish(plan with { OutputDirectory = Temp.Combine("out-again") }, "again");
        again.Report.ManifestDigest.ShouldBe(warm.Report.ManifestDigest);
    }

    [Test]
    public async Task Npm_packages_whose_tarball_index_and_extracted_copy_were_pruned_give_the_same_layer()
    {
        using var registry = new FakeNpmRegistry();
        registry.Publish("left-pad", "1.3.0", FakeNpmRegistry.Tarball(
            FakeNpmRegistry.PackageJson("left-pad", "1.3.0"),
            TarLayer.File("package/index.js", "module.exports = 1;", mode: 0b110_110_110),
            TarLayer.File("package/bin/cli.js", "#!/usr/bin/env node\n", mode: 0b111_100_100)));
        var cache = Temp.Combine("npm-cache");
        var options = new NpmOptions(cache, FakeNpmRegistry.Url) { Handler = registry };
        var destination = UnixPath.Parse("/opt/app/node_modules");
        async Task<LayerDigests> LayerOfInstall(string folder)
        {
            var installed = await NpmPackageInstaller.InstallAsync(new NpmPackageRequest("left-pad", "1.3.0", destination), options, new RecordingLog(), CancellationToken.None);
            using var layer = File.Create(Temp.Combine(folder));
            return LayerWriter.Write(LayerContents.Of(installed.Entries, null), layer, LayerWriterOptions.Default);
        }

        var first = await LayerOfInstall("first.tgz");
        BlobCacheInfo.Of(cache, null).Areas.Select(a => a.Name).ShouldBe(["npm/extracted", "npm/index", "sha256"], ignoreOrder: true);
        var requests = registry.Requests.Count;
        (await BlobCachePruner.PruneAsync(cache, 0, CancellationToken.None)).SizeAfter.ShouldBe(0);
        var again = await LayerOfInstall("again.tgz");

        again.ShouldBe(first);
        registry.Requests.Count.ShouldBeGreaterThan(requests, "the tarball was downloaded again");
    }

    private Task<PublishResult> Publish(ImagePlan plan, string name) =>
        ImagePublisher.PublishAsync(plan with { OutputDirectory = Temp.Combine("out-" + name), IntermediateDirectory = Temp.Combine("obj-" + name) },
            declared: null, new RecordingLog(), CancellationToken.None, null, () => new HttpClient(Mirror));

    private ImagePlan RunImagePlan() => DebianRunImagePlan(new BlobStore(Temp.Combine("base-store")), Temp.Combine("cache"), "test/pruned").Plan;
}
