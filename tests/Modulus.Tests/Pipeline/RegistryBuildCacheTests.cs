using System.Text.Json;
using Modulus.BuildCache;
using Modulus.Oci;
using Modulus.Plan;
using Modulus.Publishing;
using Modulus.Sbom;
using Modulus.Storage;
using Modulus.Tests.Debian;
using Modulus.Tests.TestSupport;
using static Modulus.Tests.Debian.DebFixture;

namespace Modulus.Tests.Pipeline;

/// <summary>
/// A registry repository as the build cache two machines share (ModulusCacheRepository,
/// docs/registry.md): a machine with an empty blob cache takes the Debian layer another machine
/// recorded instead of asking the mirror and compressing, and gives the same image; an entry that
/// is damaged or of another format, or a cache that does not answer, is a warning and a normal build.
/// </summary>
public partial class RegistryBuildCacheTests : SignedMirrorTest
{
    private static RegistryServer? _registry;

    protected override string FolderPrefix => "registry-cache";

    [OneTimeSetUp]
    public void StartRegistry() => _registry = RegistryServer.Start();

    [OneTimeTearDown]
    public void StopRegistry() => _registry?.Dispose();

    private static RegistryServer Registry => _registry!;

    [SetUp]
    public void AddPackages()
    {
        Mirror.Add("hello", "1.0", Build("hello", "1.0", [new("./usr/bin/hello", Content: "#!/bin/sh\necho hello\n", Mode: 0b111_101_101)]));
        Mirror.Add("world", "1.0", Build("world", "1.0", [new("./usr/share/world/README", Content: "world\n")]));
        Mirror.Publish();
    }

    /// <summary>A repository of this test's own: entries of other tests are other keys only when their inputs differ.</summary>
    private ImageReference CacheRepository => ConfigInputs.CacheRepository($"{Registry.Address}/team/cache-{TestContext.CurrentContext.Test.ID.ToLowerInvariant()}");

    [Test]
    public async Task A_second_machine_takes_the_Debian_layer_from_the_registry_asks_the_mirror_nothing_and_gives_the_same_image()
    {
        var plan = Plan();
        var first = await Publish(plan, "a", new RecordingLog());
        var debianLayer = DebianLayerOf(first);
        Mirror.Requests.Clear();
        var log = new RecordingLog();

        var written = LayerWrites.Start();
        var second = await Publish(plan with { Registry = Registry.Address, Repository = "team/app" }, "b", log);

        second.Report.ManifestDigest.ShouldBe(first.Report.ManifestDigest);
        Mirror.Requests.ShouldBeEmpty("the Debian packages came from the registry: " + string.Join("\n", log.Details.Where(l => l.Contains("cache"))));
        written.ShouldNotContain(debianLayer.DiffId, "the Debian layer was not written again");
        log.Warnings.ShouldBeEmpty();
        log.Progresses.ShouldContain(l => l.StartsWith("Layer 'Modulus: Debian packages' taken from the build cache", StringComparison.Ordinal), string.Join("\n", log.Progresses));
        Packages(first).ShouldContain("\"name\": \"hello\"");
        Packages(second).ShouldBe(Packages(first), "the packages the SBOM lists came with the layer");
        // The push mounts the layer from the cache repository instead of uploading it.
        log.Summaries.ShouldContain(l => l.Contains(" 1 mounted", StringComparison.Ordinal), string.Join("\n", log.Summaries));
    }

    [Test]
    public async Task Another_package_set_is_another_key_its_layer_is_built_and_recorded_beside_the_first()
    {
        var plan = Plan();
        var first = await Publish(plan, "a", new RecordingLog());
        var withWorld = plan with { Debian = plan.Debian! with { Request = plan.Debian.Request with { Packages = ["hello", "world"], RefreshLock = true } } };
        Mirror.Requests.Clear();
        var log = new RecordingLog();

        var second = await Publish(withWorld, "b", log);

        second.Report.ManifestDigest.ShouldNotBe(first.Report.ManifestDigest);
        log.Warnings.ShouldBeEmpty();
        Mirror.Requests.ShouldContain(r => r.Contains("/world_1.0_", StringComparison.Ordinal), "resolved and downloaded here");
        (await ListTags(CacheRepository)).Length.ShouldBe(2, "the refreshed lock's layer is recorded too");
    }

    [Test]
    public async Task A_cache_entry_is_an_OCI_artifact_tagged_by_its_key()
    {
        var first = await Publish(Plan(), "a", new RecordingLog());

        var tags = await ListTags(CacheRepository);
        tags.ShouldHaveSingleItem().ShouldStartWith("debian-");
        var manifest = await GetManifest(CacheRepository, tags[0]);
        manifest.GetProperty("artifactType").GetString().ShouldBe(RegistryBuildCache.ArtifactType);
        manifest.GetProperty("config").GetProperty("mediaType").GetString().ShouldBe("application/vnd.oci.empty.v1+json");
        var layers = manifest.GetProperty("layers").EnumerateArray().ToArray();
        layers.Select(l => l.GetProperty("mediaType").GetString()).ShouldBe([MediaTypes.OciLayerGzip, RegistryBuildCache.RecordMediaType]);
        layers[0].GetProperty("digest").GetString().ShouldBe(DebianLayerOf(first).Digest.ToString());
        // Readable by the registry tools teams already use: skopeo copies it, blobs and all.
        var copy = Temp.Combine("skopeo-copy");
        Tools.RunChecked(Tools.Require("skopeo"), ["copy", "--src-tls-verify=false", $"docker://{CacheRepository.Name}:{tags[0]}", $"dir:{copy}"]);
        File.Exists(Path.Combine(copy, DebianLayerOf(first).Digest.Encoded)).ShouldBeTrue();
    }

    [Test]
    public async Task A_damaged_cache_blob_is_a_warning_and_the_step_is_built_with_the_same_image()
    {
        // A registry of its own: the damaged blob is shared by every repository of a registry.
        using var registry = RegistryServer.Start();
        var plan = Plan() with { CacheRepository = ConfigInputs.CacheRepository($"{registry.Address}/team/cache") };
        var first = await Publish(plan, "a", new RecordingLog());
        var data = Directory.EnumerateFiles(registry.StorageRoot, "data", SearchOption.AllDirectories)
            .Single(p => Path.GetFileName(Path.GetDirectoryName(p)) == DebianLayerOf(first).Digest.Encoded);
        var bytes = File.ReadAllBytes(data);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(data, bytes);
        Mirror.Requests.Clear();
        var log = new RecordingLog();

        var second = await Publish(plan, "b", log);

        second.Report.ManifestDigest.ShouldBe(first.Report.ManifestDigest);
        log.Diagnostics.Select(d => d.Code).ShouldBe(["MOD2322"]);
        Mirror.Requests.ShouldNotBeEmpty("built from the packages");
    }

    [Test]
    public async Task An_entry_whose_record_gives_another_diffID_is_not_used()
    {
        var plan = Plan();
        var first = await Publish(plan, "a", new RecordingLog());
        var tag = (await ListTags(CacheRepository)).Single();
        var manifest = await GetManifest(CacheRepository, tag);
        var recordDescriptor = manifest.GetProperty("layers")[1];
        using var http = new HttpClient();
        var record = await http.GetStringAsync($"http://{CacheRepository.Registry}/v2/{CacheRepository.Repository}/blobs/{recordDescriptor.GetProperty("digest").GetString()}");
        // A record that is whole and of this format, whose diffID is not the layer's tar: taken as is, the image's config would lie.
        var lying = record.Replace(DebianLayerOf(first).DiffId.ToString(), Digest.Compute("not the tar"u8.ToArray()).ToString(), StringComparison.Ordinal);
        lying.ShouldNotBe(record);
        var lyingDigest = await PutBlob(CacheRepository, System.Text.Encoding.UTF8.GetBytes(lying));
        await PutManifest(CacheRepository, tag, manifest.GetRawText()
            .Replace(recordDescriptor.GetProperty("digest").GetString()!, lyingDigest.ToString(), StringComparison.Ordinal)
            .Replace($"\"size\":{recordDescriptor.GetProperty("size").GetInt64()}", $"\"size\":{System.Text.Encoding.UTF8.GetByteCount(lying)}", StringComparison.Ordinal));
        var log = new RecordingLog();

        var second = await Publish(plan, "b", log);

        second.Report.ManifestDigest.ShouldBe(first.Report.ManifestDigest);
        log.Diagnostics.Select(d => d.Code).ShouldBe(["MOD2322"], string.Join("\n", log.Diagnostics.Select(d => d.Text)));
        log.Diagnostics[0].Text.ShouldContain($"not the diffID {Digest.Compute("not the tar"u8.ToArray())}", customMessage: log.Diagnostics[0].Text);
    }

    [Test]
    public async Task An_entry_whose_layer_is_another_blob_is_not_used_even_where_its_diffID_is_known()
    {
        // Machine b took the layer from the cache, so its entries memo knows the record's diffID: only the blob's own tar can tell the lie.
        var plan = Plan();
        var first = await Publish(plan, "a", new RecordingLog());
        (await Publish(plan, "b", new RecordingLog())).Report.ManifestDigest.ShouldBe(first.Report.ManifestDigest);
        var tag = (await ListTags(CacheRepository)).Single();
        var manifest = await GetManifest(CacheRepository, tag);
        var layerDescriptor = manifest.GetProperty("layers")[0];
        using var other = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(other, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
        using (var tar = new System.Formats.Tar.TarWriter(gzip, System.Formats.Tar.TarEntryFormat.Pax, leaveOpen: true))
        {
            var entry = new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, "etc/other") { DataStream = new MemoryStream("other\n"u8.ToArray()) };
            tar.WriteEntry(entry);
        }
        var otherDigest = await PutBlob(CacheRepository, other.ToArray());
        await PutManifest(CacheRepository, tag, manifest.GetRawText()
            .Replace(layerDescriptor.GetProperty("digest").GetString()!, otherDigest.ToString(), StringComparison.Ordinal)
            .Replace($"\"size\":{layerDescriptor.GetProperty("size").GetInt64()}", $"\"size\":{other.Length}", StringComparison.Ordinal));
        var log = new RecordingLog();

        // The same machine's blob cache, new output folders: not up to date, so the Debian step asks the cache.
        var again = await ImagePublisher.PublishAsync(At(plan, "b") with { OutputDirectory = Temp.Combine("machine-b", "out2"), IntermediateDirectory = Temp.Combine("machine-b", "obj2") },
            declared: null, log, CancellationToken.None, null, () => new HttpClient(Mirror));

        again.Report.ManifestDigest.ShouldBe(first.Report.ManifestDigest);
        log.Diagnostics.Select(d => d.Code).ShouldBe(["MOD2322"], string.Join("\n", log.Diagnostics.Select(d => d.Text)));
    }

    [Test]
    public async Task An_unreachable_cache_is_one_warning_and_a_normal_build()
    {
        var plan = Plan();
        var without = await ImagePublisher.PublishAsync(At(plan with { CacheRepository = null }, "none"), declared: null, new RecordingLog(), CancellationToken.None, null, () => new HttpClient(Mirror));
        var log = new RecordingLog();

        var closed = await Publish(plan with { CacheRepository = ConfigInputs.CacheRepository($"127.0.0.1:{RegistryServer.FreePort()}/team/cache") }, "closed", log);

        closed.Report.ManifestDigest.ShouldBe(without.Report.ManifestDigest);
        log.Diagnostics.Select(d => d.Code).ShouldBe(["MOD2321"], "once: the cache is not asked again, nor written");
    }

    [Test]
    public async Task An_entry_of_another_format_is_not_used_and_is_replaced()
    {
        var plan = Plan();
        var first = await Publish(plan, "a", new RecordingLog());
        var tag = (await ListTags(CacheRepository)).Single();
        // The same tag holding what another format would: an artifact type this Modulus does not read.
        var manifest = await GetManifest(CacheRepository, tag);
        var foreign = manifest.GetRawText().Replace(RegistryBuildCache.ArtifactType, "application/vnd.modulus.cache.v0+json", StringComparison.Ordinal);
        await PutManifest(CacheRepository, tag, foreign);
        var log = new RecordingLog();

        var second = await Publish(plan, "b", log);
        Mirror.Requests.Clear();
        var thirdLog = new RecordingLog();
        var third = await Publish(plan, "c", thirdLog);

        second.Report.ManifestDigest.ShouldBe(first.Report.ManifestDigest);
        log.Diagnostics.Select(d => d.Code).ShouldBe(["MOD2323"], string.Join("\n", log.Details.Concat(log.Progresses)));
        third.Report.ManifestDigest.ShouldBe(first.Report.ManifestDigest);
        thirdLog.Warnings.ShouldBeEmpty();
        Mirror.Requests.ShouldBeEmpty("the entry the second machine wrote back");
    }

    [TestCase("registry.example", "it names no registry host before the repository")]
    [TestCase("registry.example/team/cache:v1", "it has a tag or digest")]
    [TestCase("team/cache", "'team' is not a registry host")]
    public void A_cache_repository_that_is_no_registry_repository_is_MOD2320(string value, string why)
    {
        var error = Should.Throw<Modulus.Diagnostics.ModulusException>(() => ConfigInputs.CacheRepository(value));
        error.Error.Code.ShouldBe("MOD2320");
        error.Message.ShouldContain(why);
    }

    /// <summary>The run image with the mirror's "hello", its packages pinned in a lock file beside the project.</summary>
    private ImagePlan Plan()
    {
        var plan = DebianRunImagePlan(new BlobStore(Temp.Combine("base-store")), Temp.Combine("unused-cache"), "test/cached").Plan;
        return plan with
        {
            Debian = plan.Debian! with { Request = plan.Debian.Request with { LockFilePath = Path.Combine(plan.ProjectDirectory, "packages.lock.debian.json") } },
            CacheRepository = CacheRepository,
        };
    }

    /// <summary>A publish on machine <paramref name="machine"/>: a blob cache and outputs of its own.</summary>
    private Task<PublishResult> Publish(ImagePlan plan, string machine, RecordingLog log) =>
        ImagePublisher.PublishAsync(At(plan, machine), declared: null, log, CancellationToken.None, null, () => new HttpClient(Mirror));

    private ImagePlan At(ImagePlan plan, string machine) => plan with
    {
        BlobCacheDirectory = Temp.Combine("machine-" + machine, "cache"),
        OutputDirectory = Temp.Combine("machine-" + machine, "out"),
        IntermediateDirectory = Temp.Combine("machine-" + machine, "obj"),
    };

    private static Modulus.Images.BlobLayer DebianLayerOf(PublishResult published)
    {
        var manifest = OciJson.Deserialize<ImageManifest>(File.ReadAllBytes(Path.Combine(published.Report.LayoutPath,
            "blobs", "sha256", Digest.Parse(published.Report.ManifestDigest).Encoded)), "manifest");
        using var config = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(published.Report.LayoutPath, "blobs", "sha256", manifest.Config.Digest.Encoded)));
        // The base's two layers, then the Debian packages.
        var layer = manifest.Layers[2];
        var diffId = Digest.Parse(config.RootElement.GetProperty("rootfs").GetProperty("diff_ids")[2].GetString()!);
        return new Modulus.Images.BlobLayer(string.Empty, layer.MediaType, layer.Digest, diffId, layer.Size);
    }

    private static string Packages(PublishResult published)
    {
        using var sbom = JsonDocument.Parse(File.ReadAllBytes(published.Report.SbomPath!));
        return sbom.RootElement.GetProperty("packages").GetRawText();
    }

    private static async Task<string[]> ListTags(ImageReference repository)
    {
        using var http = new HttpClient();
        using var document = JsonDocument.Parse(await http.GetStringAsync($"http://{repository.Registry}/v2/{repository.Repository}/tags/list"));
        return document.RootElement.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToArray();
    }

    private static async Task<JsonElement> GetManifest(ImageReference repository, string tag)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{repository.Registry}/v2/{repository.Repository}/manifests/{tag}");
        request.Headers.Accept.ParseAdd(MediaTypes.OciManifest);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static async Task<Digest> PutBlob(ImageReference repository, byte[] bytes)
    {
        using var http = new HttpClient();
        using var start = await http.PostAsync($"http://{repository.Registry}/v2/{repository.Repository}/blobs/uploads/", null);
        start.EnsureSuccessStatusCode();
        var digest = Digest.Compute(bytes);
        var location = new Uri(new Uri($"http://{repository.Registry}/"), start.Headers.Location!);
        var separator = location.Query.Length > 0 ? "&" : "?";
        using var content = new ByteArrayContent(bytes);
        using var put = await http.PutAsync($"{location}{separator}digest={digest}", content);
        put.EnsureSuccessStatusCode();
        return digest;
    }

    private static async Task PutManifest(ImageReference repository, string tag, string json)
    {
        using var http = new HttpClient();
        using var content = new StringContent(json);
        content.Headers.ContentType = new(MediaTypes.OciManifest);
        using var response = await http.PutAsync($"http://{repository.Registry}/v2/{repository.Repository}/manifests/{tag}", content);
        response.EnsureSuccessStatusCode();
    }
}
