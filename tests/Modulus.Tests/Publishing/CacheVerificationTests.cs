using System.Formats.Tar;
using System.Text.Json.Nodes;
using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Oci;
using Modulus.Plan;
using Modulus.Publishing;
using Modulus.Sinks;
using Modulus.Sources;
using Modulus.Storage;
using Modulus.Tests.Sources;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Publishing;

/// <summary>
/// The blob cache is not trusted blindly: a blob damaged after it was stored is found where its
/// bytes leave the cache, removed and fetched or written again, so the outputs hold the right bytes;
/// a wrong diffID record is recomputed, not blamed on the source; and every base layer is read and
/// checked once in full, so a hostile one fails the publish even when the project touches none of
/// its folders.
/// </summary>
public class CacheVerificationTests
{
    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory("verify");

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public async Task A_damaged_cached_layer_is_written_again_and_the_outputs_hold_the_right_bytes()
    {
        var plan = Plan(BaseImageSource.Scratch);
        var first = (await ImagePublisher.PublishAsync(plan, RecordingLog.Clean(), CancellationToken.None)).Report;
        var layer = Digest.Parse(first.Layers[^1].Digest);
        Damage(StorePath(plan, layer));
        var log = new RecordingLog();

        var again = (await ImagePublisher.PublishAsync(Elsewhere(plan, "again"), log, CancellationToken.None)).Report;

        again.ManifestDigest.ShouldBe(first.ManifestDigest);
        ShouldHoldTheRightBytes(again);
        log.Diagnostics.ShouldContain(d => d.Code == "MOD2220" && d.Severity == DiagnosticSeverity.Warning && d.Text.Contains(layer.ToString()));
        new BlobStore(plan.BlobCacheDirectory).IsIntact(layer).ShouldBeTrue("the layer was written again");
    }

    [Test]
    public async Task A_layer_written_again_replaces_a_damaged_blob_of_its_digest()
    {
        var plan = Plan(BaseImageSource.Scratch);
        var first = (await ImagePublisher.PublishAsync(plan, RecordingLog.Clean(), CancellationToken.None)).Report;
        var layer = Digest.Parse(first.Layers[^1].Digest);
        Damage(StorePath(plan, layer));
        // Without its memo the layer is tarred and compressed again, to the same digest.
        Directory.Delete(Path.Combine(plan.BlobCacheDirectory, "layers"), recursive: true);

        var again = (await ImagePublisher.PublishAsync(Elsewhere(plan, "again"), RecordingLog.Clean(), CancellationToken.None)).Report;

        again.ManifestDigest.ShouldBe(first.ManifestDigest);
        ShouldHoldTheRightBytes(again);
        new BlobStore(plan.BlobCacheDirectory).IsIntact(layer).ShouldBeTrue();
    }

    [Test]
    public async Task A_damaged_cached_base_blob_is_fetched_again_from_the_layout()
    {
        var layout = GoodBaseLayout();
        var plan = Plan(BaseImageSource.Parse("oci-layout:" + layout, _temp.Path));
        var first = (await ImagePublisher.PublishAsync(plan, RecordingLog.Clean(), CancellationToken.None)).Report;
        var baseLayer = Digest.Parse(first.Layers[0].Digest);
        Damage(StorePath(plan, baseLayer));
        var log = new RecordingLog();

        var again = (await ImagePublisher.PublishAsync(Elsewhere(plan, "again"), log, CancellationToken.None)).Report;

        again.ManifestDigest.ShouldBe(first.ManifestDigest);
        ShouldHoldTheRightBytes(again);
        log.Diagnostics.ShouldContain(d => d.Code == "MOD2220" && d.Text.Contains(baseLayer.ToString()));
        new BlobStore(plan.BlobCacheDirectory).IsIntact(baseLayer).ShouldBeTrue("the blob was copied again from the layout");
    }

    [Test]
    public void A_wrong_diffid_record_is_computed_again_not_blamed_on_the_layout()
    {
        var layout = GoodBaseLayout();
        var store = new BlobStore(_temp.Combine("cache"));
        var loaded = BaseImageLoader.Load("oci-layout:" + layout, _temp.Path, Platform.LinuxAmd64, store);
        var layer = loaded.Layers[0];
        var record = Path.Combine(store.Root, "diffids", layer.Digest.Encoded);
        File.WriteAllText(record, Digest.Compute("something else"u8).ToString());

        var again = BaseImageLoader.Load("oci-layout:" + layout, _temp.Path, Platform.LinuxAmd64, store);

        again.Layers[0].DiffId.ShouldBe(layer.DiffId);
        File.ReadAllText(record).Trim().ShouldBe(layer.DiffId.ToString(), "the record is repaired");
    }

    [Test]
    public void A_base_blob_damaged_in_the_cache_is_removed_when_its_diffid_is_computed()
    {
        var layout = GoodBaseLayout();
        var store = new BlobStore(_temp.Combine("cache"));
        var layer = BaseImageLoader.Load("oci-layout:" + layout, _temp.Path, Platform.LinuxAmd64, store).Layers[0];
        File.Delete(Path.Combine(store.Root, "diffids", layer.Digest.Encoded));
        Damage(store.PathOf(layer.Digest));

        var error = Should.Throw<ModulusException>(() => BaseImageLoader.Load("oci-layout:" + layout, _temp.Path, Platform.LinuxAmd64, store));

        error.Code.ShouldBe("MOD2220");
        store.Contains(layer.Digest).ShouldBeFalse("the damaged blob is evicted");
        BaseImageLoader.Load("oci-layout:" + layout, _temp.Path, Platform.LinuxAmd64, store).Layers[0].DiffId.ShouldBe(layer.DiffId);
    }

    /// <summary>Hostile base layers, under a project that adds no file and so asks nothing of the base's folders.</summary>
    private static IEnumerable<TestCaseData> HostileLayers()
    {
        yield return new TestCaseData("MOD2101", "../../escape",
            TestImages.Tar(w =>
            {
                TestImages.AddFile(w, "srv/ok.txt", "ok"u8.ToArray());
                TestImages.AddFile(w, "../../escape", "out"u8.ToArray());
            })).SetName("A base layer entry that climbs out of the root is MOD2101");
        yield return new TestCaseData("MOD2102", "../../../etc/passwd",
            TestImages.Tar(w =>
            {
                TestImages.AddFile(w, "srv/ok.txt", "ok"u8.ToArray());
                w.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, "srv/passwd") { LinkName = "../../../etc/passwd" });
            })).SetName("A base layer hard link out of the root is MOD2102");
        var whole = TestImages.Tar(w => TestImages.AddFile(w, "srv/big.bin", new byte[8192]));
        yield return new TestCaseData("MOD2103", "srv/big.bin", whole[..2048])
            .SetName("A truncated base layer tar is MOD2103");
        // The tar is whole and the config's diffID is its digest: only the gzip trailer (CRC and size) is cut off.
        yield return new TestCaseData("MOD2240", $"after {whole.Length} bytes", whole, 8)
            .SetName("A base layer whose gzip stream is cut short is MOD2240");
    }

    [TestCaseSource(nameof(HostileLayers))]
    public async Task A_hostile_base_layer_fails_the_publish_though_the_project_touches_none_of_its_folders(string code, string entry, byte[] tar, int cut = 0)
    {
        var layout = _temp.Combine("hostile");
        var blob = TestImages.Gzip(tar)[..^cut];
        var config = ImageConfig.Empty(Platform.LinuxAmd64).With(c => c["rootfs"]!["diff_ids"] = new JsonArray(Digest.Compute(tar).ToString()));
        OciLayoutSourceTests.WriteManifestLayout(layout, config.ToBytes(), (MediaTypes.OciLayerGzip, blob));
        var plan = Plan(BaseImageSource.Parse("oci-layout:" + layout, _temp.Path)) with { Files = [] };

        var error = await Should.ThrowAsync<ModulusException>(() => ImagePublisher.PublishAsync(plan, new RecordingLog(), CancellationToken.None));

        error.Code.ShouldBe(code);
        error.Message.ShouldContain(Digest.Compute(blob).ToString());
        error.Message.ShouldContain(layout);
        error.Message.ShouldContain(entry);
        error.Step.ShouldBe("Base");
        Path.Exists(Path.Combine(plan.OutputDirectory, ImagePublisher.ArchiveFileName)).ShouldBeFalse();
        Path.Exists(Path.Combine(plan.OutputDirectory, ImagePublisher.LayoutFolderName)).ShouldBeFalse();
    }

    [Test]
    public async Task A_verdict_an_earlier_version_remembered_is_not_taken_and_the_layer_is_checked_again()
    {
        var tar = TestImages.Tar(w => TestImages.AddFile(w, "srv/big.bin", new byte[8192]));
        var blob = TestImages.Gzip(tar)[..^8];
        var layout = _temp.Combine("hostile");
        var config = ImageConfig.Empty(Platform.LinuxAmd64).With(c => c["rootfs"]!["diff_ids"] = new JsonArray(Digest.Compute(tar).ToString()));
        OciLayoutSourceTests.WriteManifestLayout(layout, config.ToBytes(), (MediaTypes.OciLayerGzip, blob));
        var plan = Plan(BaseImageSource.Parse("oci-layout:" + layout, _temp.Path)) with { Files = [] };
        // The cache an earlier version left after taking the layer in: its diffID, and its entries
        // in format 2, written by a check that did not read the gzip stream to its end.
        var (digest, diffId) = (Digest.Compute(blob), Digest.Compute(tar));
        Directory.CreateDirectory(Path.Combine(plan.BlobCacheDirectory, "diffids"));
        File.WriteAllText(Path.Combine(plan.BlobCacheDirectory, "diffids", digest.Encoded), diffId.ToString());
        var entries = Modulus.Layers.LayerReader.Read(new MemoryStream(tar), "layer").ToList();
        var v2 = Path.Combine(plan.BlobCacheDirectory, "layer-entries", "v2", "sha256", diffId.Encoded);
        Directory.CreateDirectory(Path.GetDirectoryName(v2)!);
        File.WriteAllBytes(v2, FormatTwo(LayerEntriesFile.Write(diffId, entries)));

        var error = await Should.ThrowAsync<ModulusException>(() => ImagePublisher.PublishAsync(plan, new RecordingLog(), CancellationToken.None));

        error.Code.ShouldBe("MOD2240");
        error.Message.ShouldContain(digest.ToString());
        Path.Exists(Path.Combine(plan.OutputDirectory, ImagePublisher.ArchiveFileName)).ShouldBeFalse();
    }

    /// <summary>The same entries in format 2: its header, and the SHA-256 of the rest after them.</summary>
    private static byte[] FormatTwo(byte[] file)
    {
        var payload = file[..^32];
        var header = "MODULUS LAYER ENTRIES "u8.Length;
        payload[header].ShouldNotBe((byte)'2');
        payload[header] = (byte)'2';
        return [.. payload, .. System.Security.Cryptography.SHA256.HashData(payload)];
    }

    /// <summary>Every blob of the layout and of the tar hashes to its name, and the tar holds the layout's blobs.</summary>
    private static void ShouldHoldTheRightBytes(ImageReport report)
    {
        foreach (var blob in Directory.EnumerateFiles(Path.Combine(report.LayoutPath, "blobs", "sha256")))
            Digest.Compute(File.ReadAllBytes(blob)).Encoded.ShouldBe(Path.GetFileName(blob), $"layout blob {blob}");
        using var tar = new TarReader(File.OpenRead(report.ArchivePath));
        var blobs = 0;
        while (tar.GetNextEntry() is { } entry)
        {
            if (ArchiveBlobName(entry.Name) is not { } name || entry.DataStream is null) continue;
            Digest.Compute(entry.DataStream).Encoded.ShouldBe(name, $"archive entry {entry.Name}");
            blobs++;
        }
        blobs.ShouldBe(Directory.EnumerateFiles(Path.Combine(report.LayoutPath, "blobs", "sha256")).Count());
    }

    private static string? ArchiveBlobName(string name) => name.StartsWith("blobs/sha256/", StringComparison.Ordinal) && name.Length > 13 ? name[13..] : null;

    private static void Damage(string path)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(path, bytes);
    }

    private static string StorePath(ImagePlan plan, Digest digest) => new BlobStore(plan.BlobCacheDirectory).PathOf(digest);

    /// <summary>A one-layer base with /hello.txt, as an OCI layout written by Modulus, in a store of its own.</summary>
    private string GoodBaseLayout()
    {
        var layout = _temp.Combine("base");
        OciLayoutWriter.Write(TestImages.Hello(new BlobStore(_temp.Combine("fixture-cache")), "hello"), layout, []);
        return layout;
    }

    /// <summary>The same inputs publishing into other folders (with the same cache): not up to date, so built again.</summary>
    private ImagePlan Elsewhere(ImagePlan plan, string name) =>
        plan with { OutputDirectory = _temp.Combine(name, "publish"), IntermediateDirectory = _temp.Combine(name, "obj") };

    private ImagePlan Plan(BaseImageSource baseImage)
    {
        var folder = _temp.Path;
        File.WriteAllText(Path.Combine(folder, "tool.sh"), "#!/bin/sh\necho verified\n");
        return new ImagePlan
        {
            BaseImage = baseImage,
            ProjectDirectory = folder,
            Platform = Platform.LinuxAmd64,
            Files = [new PlannedFile("tool.sh", Path.Combine(folder, "tool.sh"), null, "/usr/local/bin/", "tool.sh", PermissionMode.Parse("0755", "tool.sh"), null, SourceLocation.Unknown)],
            Config = new ConfigChanges { Entrypoint = ["/usr/local/bin/tool.sh"] },
            Repository = "verify/image",
            Tags = ["v1"],
            Timestamp = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000),
            OutputDirectory = Path.Combine(folder, "publish"),
            IntermediateDirectory = Path.Combine(folder, "obj"),
            BlobCacheDirectory = Path.Combine(folder, "cache"),
        };
    }
}
