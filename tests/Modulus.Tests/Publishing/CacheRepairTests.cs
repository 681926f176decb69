using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Oci;
using Modulus.Plan;
using Modulus.Publishing;
using Modulus.Sources;
using Modulus.Storage;
using Modulus.Tests.Sources;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Publishing;

/// <summary>
/// What the blob cache remembers beside its blobs (a base's config and manifest, a layer's memo
/// record, what the first full read of a base layer found) is checked before it is believed: a
/// damaged record is repaired and the publish gives the image the healthy source gives, not an
/// image that differs or an error that blames the source.
/// </summary>
public class CacheRepairTests
{
    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory("repair");

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public async Task A_damaged_cached_base_config_is_fetched_again_and_the_image_keeps_the_base_settings()
    {
        var layout = BaseLayout(env: "GREETING=hello");
        var plan = Plan(layout);
        var first = (await ImagePublisher.PublishAsync(plan, RecordingLog.Clean(), CancellationToken.None)).Report;
        var config = Digest.Parse(BaseManifest(layout)["config"]!["digest"]!.GetValue<string>());
        Replace(StorePath(plan, config), "GREETING=hello", "GREETING=jello");
        var log = new RecordingLog();

        var again = (await ImagePublisher.PublishAsync(Elsewhere(plan), log, CancellationToken.None)).Report;

        PublishedConfig(again).GetEnv("GREETING").ShouldBe("hello", "the image carries the base's own setting, not the damaged copy's");
        again.ManifestDigest.ShouldBe(first.ManifestDigest);
        log.Diagnostics.ShouldContain(d => d.Code == "MOD2220" && d.Severity == DiagnosticSeverity.Warning && d.Text.Contains(config.ToString()));
        new BlobStore(plan.BlobCacheDirectory).IsIntact(config).ShouldBeTrue("the config was copied again from the layout");
    }

    [Test]
    public async Task A_damaged_cached_base_config_that_no_longer_parses_is_not_blamed_on_the_layout()
    {
        var layout = BaseLayout(env: "GREETING=hello");
        var plan = Plan(layout);
        var first = (await ImagePublisher.PublishAsync(plan, RecordingLog.Clean(), CancellationToken.None)).Report;
        var config = Digest.Parse(BaseManifest(layout)["config"]!["digest"]!.GetValue<string>());
        Replace(StorePath(plan, config), "{", "[");

        var again = (await ImagePublisher.PublishAsync(Elsewhere(plan), new RecordingLog(), CancellationToken.None)).Report;

        again.ManifestDigest.ShouldBe(first.ManifestDigest);
    }

    [Test]
    public async Task A_damaged_layer_memo_record_is_rewritten_and_the_image_does_not_change()
    {
        var plan = Plan(BaseLayout(env: "GREETING=hello"));
        var first = (await ImagePublisher.PublishAsync(plan, RecordingLog.Clean(), CancellationToken.None)).Report;
        var records = Directory.GetFiles(Path.Combine(plan.BlobCacheDirectory, "layers"));
        records.ShouldNotBeEmpty();
        // A diffID line that still reads as a digest, but not the layer's: a flipped bit in one hex digit.
        foreach (var record in records) File.WriteAllText(record, FlipHexDigit(File.ReadAllText(record), line: 2));

        var again = (await ImagePublisher.PublishAsync(Elsewhere(plan), RecordingLog.Clean(), CancellationToken.None)).Report;

        again.Layers.Select(l => l.DiffId).ShouldBe(first.Layers.Select(l => l.DiffId));
        again.ManifestDigest.ShouldBe(first.ManifestDigest);
        foreach (var record in records)
            File.ReadAllText(record).ShouldContain(first.Layers[^1].DiffId, Case.Sensitive, "the record is written again");
    }

    // Damage to a file's bytes that still reads as a tar: in a gzip of stored blocks the gzip
    // trailer's CRC finds it once the stream is read to its end; in an uncompressed layer only
    // the tar's digest, its diffID, does.
    [TestCase(true, TestName = "A gzip base blob damaged in the cache before its first full read is fetched again, not remembered")]
    [TestCase(false, TestName = "An uncompressed base blob damaged in the cache before its first full read is fetched again, not remembered")]
    public async Task A_base_blob_damaged_in_the_cache_before_its_first_full_read_is_fetched_again_not_remembered(bool gzip)
    {
        var layout = BaseLayout(env: "GREETING=hello", level: gzip ? CompressionLevel.NoCompression : null);
        var plan = Plan(layout) with { Files = [Tool(owner: "app:app")] };
        var store = new BlobStore(plan.BlobCacheDirectory);
        // Taken into the cache by an earlier publish that asked nothing of its files (a memo of another version, say).
        var layer = BaseImageLoader.Load("oci-layout:" + layout, _temp.Path, Platform.LinuxAmd64, store).Layers[0];
        Replace(store.PathOf(layer.Digest), "app:x:1000", "apq:x:1000");
        var log = new RecordingLog();

        var published = (await ImagePublisher.PublishAsync(plan, log, CancellationToken.None)).Report;

        log.Diagnostics.ShouldContain(d => d.Code == "MOD2220" && d.Text.Contains(layer.Digest.ToString()));
        store.IsIntact(layer.Digest).ShouldBeTrue("the blob was copied again from the layout");
        // What is remembered of the layer is what the layout holds: another publish finds the account too.
        var again = (await ImagePublisher.PublishAsync(Elsewhere(plan), RecordingLog.Clean(), CancellationToken.None)).Report;
        again.ManifestDigest.ShouldBe(published.ManifestDigest);
    }

    /// <summary>
    /// An OCI layout of one layer holding /etc/passwd and /etc/group with an "app" account, its
    /// config setting <paramref name="env"/>; the layer is gzipped at <paramref name="level"/>, or
    /// an uncompressed tar when it is null.
    /// </summary>
    private string BaseLayout(string env, CompressionLevel? level = CompressionLevel.Fastest)
    {
        var tar = TestImages.Tar(w =>
        {
            TestImages.AddDirectory(w, "etc/");
            TestImages.AddFile(w, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n"u8.ToArray());
            TestImages.AddFile(w, "etc/group", "root:x:0:\napp:x:1000:\n"u8.ToArray());
        });
        using var buffer = new MemoryStream();
        if (level is { } gzipped)
            using (var gzip = new GZipStream(buffer, gzipped, leaveOpen: true)) gzip.Write(tar);
        else buffer.Write(tar);
        var config = ImageConfig.Empty(Platform.LinuxAmd64).With(c =>
        {
            c["rootfs"]!["diff_ids"] = new JsonArray(Digest.Compute(tar).ToString());
            c["config"] = new JsonObject { ["Env"] = new JsonArray(env) };
        });
        var layout = _temp.Combine("base");
        OciLayoutSourceTests.WriteManifestLayout(layout, config.ToBytes(), (level is null ? MediaTypes.OciLayer : MediaTypes.OciLayerGzip, buffer.ToArray()));
        return layout;
    }

    private static JsonNode BaseManifest(string layout)
    {
        var index = JsonNode.Parse(File.ReadAllText(Path.Combine(layout, "index.json")))!;
        var manifest = Digest.Parse(index["manifests"]![0]!["digest"]!.GetValue<string>());
        return JsonNode.Parse(File.ReadAllBytes(TestImages.BlobPath(layout, manifest)))!;
    }

    private static ImageConfig PublishedConfig(ImageReport report) =>
        ImageConfig.Parse(File.ReadAllBytes(TestImages.BlobPath(report.LayoutPath, Digest.Parse(report.ConfigDigest))), "published config");

    /// <summary>Overwrites <paramref name="from"/> with <paramref name="to"/> (same length) in a stored file, as a failing disk would.</summary>
    private static void Replace(string path, string from, string to)
    {
        var bytes = File.ReadAllBytes(path);
        var at = bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(from));
        at.ShouldBeGreaterThanOrEqualTo(0, $"'{from}' is in {path}");
        Encoding.ASCII.GetBytes(to).CopyTo(bytes, at);
        File.WriteAllBytes(path, bytes);
    }

    private static string FlipHexDigit(string text, int line)
    {
        var lines = text.Split('\n');
        var last = lines[line][^1];
        lines[line] = lines[line][..^1] + (last == '0' ? '1' : '0');
        return string.Join('\n', lines);
    }

    private static string StorePath(ImagePlan plan, Digest digest) => new BlobStore(plan.BlobCacheDirectory).PathOf(digest);

    private ImagePlan Elsewhere(ImagePlan plan) =>
        plan with { OutputDirectory = _temp.Combine("again", "publish"), IntermediateDirectory = _temp.Combine("again", "obj") };

    private PlannedFile Tool(string? owner = null)
    {
        const string name = "tool.sh";
        File.WriteAllText(_temp.Combine(name), "#!/bin/sh\necho repaired\n");
        return new PlannedFile(name, _temp.Combine(name), null, "/usr/local/bin/", name, PermissionMode.Parse("0755", name),
            owner is null ? null : OwnerSpec.Parse(owner, name), SourceLocation.Unknown);
    }

    private ImagePlan Plan(string layout) => new()
    {
        BaseImage = BaseImageSource.Parse("oci-layout:" + layout, _temp.Path),
        ProjectDirectory = _temp.Path,
        Platform = Platform.LinuxAmd64,
        Files = [Tool()],
        Config = new ConfigChanges { Entrypoint = ["/usr/local/bin/tool.sh"] },
        Repository = "repair/image",
        Tags = ["v1"],
        Timestamp = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000),
        OutputDirectory = _temp.Combine("publish"),
        IntermediateDirectory = _temp.Combine("obj"),
        BlobCacheDirectory = _temp.Combine("cache"),
    };
}
