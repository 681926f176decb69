using Modulus.Sources;
using Modulus.Contract;
using Modulus.Debian;
using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Layers;
using Modulus.Plan;
using Modulus.Oci;
using Modulus.Publishing;
using Modulus.Sinks;
using Modulus.Storage;
using Modulus.Tests.Debian;
using Modulus.Tests.TestSupport;
using static Modulus.Tests.Debian.DebFixture;

namespace Modulus.Tests.Pipeline;

/// <summary>
/// How often one publish of a Debian run image decompresses each layer: the base's layers are read
/// once into the image's view, which every step then asks (Debian's base system, the owners, the
/// contract layer, the validator), and not at all once the store remembers their entries; the
/// layers the publish writes join the view from the entries they were written from and are never
/// read back. Only the SBOM, which remembers each layer's package records in the store, reads a
/// layer the store has not seen.
/// </summary>
public class LayerReadsPerPublishTests : SignedMirrorTest
{
    protected override string FolderPrefix => "layer-reads";

    [SetUp]
    public void AddPackages()
    {
        Mirror.Add("hello", "1.0", Build("hello", "1.0", [new("./usr/bin/hello", Content: "#!/bin/sh\necho hello\n", Mode: 0b111_101_101)]));
        Mirror.Publish();
    }

    [Test]
    public async Task A_debian_run_image_reads_each_base_layer_once_and_its_own_layers_never()
    {
        var (plan, baseLayers) = RunImagePlan();
        // The SBOM's records of the base, as a machine that published on this base before has them.
        Modulus.Sbom.PackageRecords.Read(baseLayers, new BlobStore(plan.BlobCacheDirectory));

        var opens = LayerTarOpens.Start();
        var result = await ImagePublisher.PublishAsync(plan, declared: null, RecordingLog.Clean(), CancellationToken.None, null, () => new HttpClient(Mirror));

        var own = result.Report.Layers.Select(l => Digest.Parse(l.Digest)).Except(baseLayers.Select(l => l.Digest)).ToList();
        own.Count.ShouldBe(3, "Debian packages, the contract layer and the project's files");
        foreach (var layer in baseLayers) opens.GetValueOrDefault(layer.Digest).ShouldBe(1, $"base layer {layer.Digest}");
        // The SBOM reads each new layer once for its package records, and remembers them.
        foreach (var layer in own) opens.GetValueOrDefault(layer).ShouldBe(1, $"own layer {layer}: the SBOM's scan only");
    }

    [Test]
    public async Task A_second_publish_on_the_same_base_after_a_change_opens_no_base_layer()
    {
        var (plan, baseLayers) = RunImagePlan();
        await Publish(plan);
        var changed = WithSettings(plan, "mode=changed\n");

        var opens = LayerTarOpens.Start();
        var warm = await Publish(changed);

        foreach (var layer in baseLayers) opens.GetValueOrDefault(layer.Digest).ShouldBe(0, $"base layer {layer.Digest}: its entries are remembered");
        // The same plan on a store that remembers nothing gives the same image.
        var cold = await Publish(changed with { BlobCacheDirectory = Temp.Combine("cold-cache"), IntermediateDirectory = Temp.Combine("cold-obj"), OutputDirectory = Temp.Combine("cold-out") });
        warm.Report.ManifestDigest.ShouldBe(cold.Report.ManifestDigest);
        Directory.Exists(Path.Combine(Temp.Combine("cold-cache"), "layer-entries")).ShouldBeTrue("the cold publish remembered the base's layers");
    }

    [Test]
    public async Task A_damaged_or_foreign_memo_is_ignored_and_written_again()
    {
        var (plan, baseLayers) = RunImagePlan();
        var first = await Publish(plan);
        var (system, programs) = (MemoOf(plan, baseLayers[0]), MemoOf(plan, baseLayers[1]));
        var good = File.ReadAllBytes(system);
        var damaged = good.ToArray();
        damaged[damaged.Length / 2] ^= 1;
        File.WriteAllBytes(system, damaged);
        // What another format would look like under this one's name: its own header, an intact body.
        File.WriteAllBytes(programs, [.. "MODULUS LAYER ENTRIES 0\n"u8, .. File.ReadAllBytes(programs).AsSpan("MODULUS LAYER ENTRIES 3\n".Length)]);

        var opens = LayerTarOpens.Start();
        var again = await Publish(plan with { IntermediateDirectory = Temp.Combine("obj-again"), OutputDirectory = Temp.Combine("out-again") });

        foreach (var layer in baseLayers) opens.GetValueOrDefault(layer.Digest).ShouldBe(1, $"base layer {layer.Digest} is read again");
        again.Report.ManifestDigest.ShouldBe(first.Report.ManifestDigest);
        File.ReadAllBytes(system).ShouldBe(good, "the damaged memo is written again");
        new LayerEntriesMemo(new BlobStore(plan.BlobCacheDirectory)).Recall(baseLayers[1].DiffId).ShouldNotBeNull("the foreign memo is replaced by one of this format");
    }

    [Test]
    public async Task The_view_of_a_layer_appended_from_its_contents_is_the_view_of_the_layer_read_back()
    {
        var store = new BlobStore(Temp.Combine("view-store"));
        var below = ImageFileSystem.Read([store.WriteLayer([new SymlinkEntry(UnixPath.Parse("/bin"), "usr/bin"), new DirectoryEntry(UnixPath.Parse("/usr/bin"), 0, 0, 0b111_000_000)], LayerWriterOptions.Default)]);
        var contents = LayerContents.Of(
        [
            new FileEntry(UnixPath.Parse("/usr/bin/tool"), FileContent.FromText("tool"), 1, 2, 0b111_101_101),
            new HardLinkEntry(UnixPath.Parse("/usr/bin/alias"), UnixPath.Parse("/usr/bin/tool")),
            new SymlinkEntry(UnixPath.Parse("/usr/bin/link"), "tool"),
            new WhiteoutEntry(UnixPath.Parse("/bin")),
            new FileEntry(UnixPath.Parse("/srv/deep/file"), FileContent.FromText("deep")),
        ], p => below.Get(p) is { Type: NodeType.Directory } d ? new DirectoryEntry(p, d.Uid, d.Gid, d.Mode) : null);
        var layer = store.WriteLayer(contents, LayerWriterOptions.Default);

        var appended = below.Append(layer, contents);
        var readBack = ImageFileSystem.Read([.. below.Layers, layer]);

        appended.All.ShouldBe(readBack.All);
        foreach (var path in new[] { "/usr/bin/tool", "/usr/bin/alias", "/usr/bin/link", "/srv/deep/file" })
            appended.ReadFile(UnixPath.Parse(path)).ShouldBe(readBack.ReadFile(UnixPath.Parse(path)), path);
        below.Layers.Count.ShouldBe(1, "appending leaves the view below as it was");
    }

    private Task<PublishResult> Publish(ImagePlan plan) =>
        ImagePublisher.PublishAsync(plan, declared: null, new RecordingLog(), CancellationToken.None, null, () => new HttpClient(Mirror));

    private static ImagePlan WithSettings(ImagePlan plan, string content) =>
        plan with { Files = [plan.Files[0] with { Content = content }] };

    private static string MemoOf(ImagePlan plan, ILayer layer) =>
        Path.Combine(plan.BlobCacheDirectory, "layer-entries", "v3", layer.DiffId.Algorithm, layer.DiffId.Encoded);

    private (ImagePlan Plan, IReadOnlyList<ILayer> BaseLayers) RunImagePlan()
    {
        var store = new BlobStore(Temp.Combine("cache"));
        return DebianRunImagePlan(store, store.Root, "test/layer-reads");
    }
}
