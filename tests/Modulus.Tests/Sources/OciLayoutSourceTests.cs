using System.Text;
using System.Text.Json.Nodes;
using Modulus.Diagnostics;
using Modulus.Oci;
using Modulus.Sinks;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Sources;

public class OciLayoutSourceTests : ImageSourceTest
{
    protected override string FolderPrefix => "layout";

    [Test]
    public void A_written_layout_reads_back_as_the_same_manifest_with_its_blobs_in_the_store()
    {
        var image = SavedAsLayout("out", "v1");

        var loaded = Load("oci-layout:out:v1");

        loaded.ManifestDigest.ShouldBe(image.ManifestDigest);
        loaded.Config.Cmd.ShouldBe(["cat", "/hello.txt"]);
        var layer = loaded.Layers.ShouldHaveSingleItem().ShouldBeOfType<Modulus.Images.BlobLayer>();
        layer.BlobPath.ShouldStartWith(Store.Root);
        TestImages.ReadText(layer, "hello.txt").ShouldBe("hi");
    }

    [Test]
    public void A_layout_with_one_image_needs_no_tag_and_several_tags_of_it_are_one_image()
    {
        var image = SavedAsLayout("out", "v1", "latest");
        Load("oci-layout:out").ManifestDigest.ShouldBe(image.ManifestDigest);
    }

    [Test]
    public void Several_images_without_a_tag_is_an_error_naming_the_tags()
    {
        var build = BuildStore;
        OciLayoutWriter.Write(TestImages.Hello(build, "one"), Temp.Combine("one"), ["one"]);
        OciLayoutWriter.Write(TestImages.Hello(build, "two"), Temp.Combine("out"), ["two"]);
        MergeIndex(Temp.Combine("one"), Temp.Combine("out"));

        var error = Should.Throw<ModulusException>(() => Load("oci-layout:out"));
        error.Code.ShouldBe("MOD2207");
        error.Message.ShouldContain("one, two");
        var two = Load("oci-layout:out:two");
        TestImages.ReadText(two.Layers[0], "hello.txt").ShouldBe("two");
    }

    [Test]
    public void An_unknown_tag_is_MOD2203_listing_the_tags_present()
    {
        OciLayoutWriter.Write(TestImages.Hello(BuildStore, "hi"), Temp.Combine("out"), ["v1"]);
        var error = Should.Throw<ModulusException>(() => Load("oci-layout:out:v2"));
        error.Code.ShouldBe("MOD2203");
        error.Message.ShouldContain("v1");
    }

    [Test]
    public void A_folder_that_is_not_a_layout_is_MOD2202()
    {
        Directory.CreateDirectory(Temp.Combine("plain"));
        Should.Throw<ModulusException>(() => Load("oci-layout:plain"))
            .Code.ShouldBe("MOD2202");
    }

    [Test]
    public void A_missing_layer_blob_is_MOD2206()
    {
        var image = SavedAsLayout("out", "v1");
        File.Delete(TestImages.BlobPath(Temp.Combine("out"), image.Layers[0].Digest));

        var error = Should.Throw<ModulusException>(() => Load("oci-layout:out"));
        error.Code.ShouldBe("MOD2206");
        error.Message.ShouldContain(image.Layers[0].Digest.ToString());
    }

    [Test]
    public void A_changed_layer_blob_is_MOD2003_and_does_not_enter_the_store()
    {
        var image = SavedAsLayout("out", "v1");
        var layerDigest = image.Layers[0].Digest;
        var blob = TestImages.BlobPath(Temp.Combine("out"), layerDigest);
        var bytes = File.ReadAllBytes(blob);
        bytes[^1] ^= 0xFF; // the size its descriptor declares, other bytes
        File.WriteAllBytes(blob, bytes);

        Should.Throw<ModulusException>(() => Load("oci-layout:out")).Code.ShouldBe("MOD2003");
        Store.Contains(layerDigest).ShouldBeFalse();
    }

    [Test]
    public void A_layer_blob_longer_or_shorter_than_declared_is_MOD2230_and_does_not_enter_the_store()
    {
        foreach (var (change, held) in new (Func<byte[], byte[]>, string)[] { (b => [.. b, 0], "more than the"), (b => b[..^1], "bytes, not the") })
        {
            var image = SavedAsLayout("out", "v1");
            var blob = TestImages.BlobPath(Temp.Combine("out"), image.Layers[0].Digest);
            File.WriteAllBytes(blob, change(File.ReadAllBytes(blob)));

            var error = Should.Throw<ModulusException>(() => Load("oci-layout:out"));
            error.Code.ShouldBe("MOD2230");
            error.Message.ShouldContain(held);
            Store.Contains(image.Layers[0].Digest).ShouldBeFalse();
        }
    }

    [Test]
    [CancelAfter(30_000)]
    public void A_layer_blob_linked_to_dev_zero_is_MOD2231_at_once_and_nothing_is_written()
    {
        var image = SavedAsLayout("out", "v1");
        var blob = TestImages.BlobPath(Temp.Combine("out"), image.Layers[0].Digest);
        File.Delete(blob);
        File.CreateSymbolicLink(blob, "/dev/zero");

        var error = Bounded.Within(TimeSpan.FromSeconds(10), () => Should.Throw<ModulusException>(() => Load("oci-layout:out")));

        error.Code.ShouldBe("MOD2231");
        error.Message.ShouldContain("a character device");
        StoredBytes().ShouldBeLessThan(1 << 20, "nothing of /dev/zero may be copied into the store");
    }

    [Test]
    [CancelAfter(30_000)]
    public void A_layer_blob_that_is_a_fifo_is_MOD2231_and_never_opened()
    {
        var image = SavedAsLayout("out", "v1");
        var blob = TestImages.BlobPath(Temp.Combine("out"), image.Layers[0].Digest);
        File.Delete(blob);
        Bounded.MakeFifo(blob);

        var error = Bounded.Within(TimeSpan.FromSeconds(10), () => Should.Throw<ModulusException>(() => Load("oci-layout:out")));

        error.Code.ShouldBe("MOD2231");
        error.Message.ShouldContain("FIFO");
    }

    [Test]
    public void A_layer_blob_linked_to_a_regular_file_is_followed()
    {
        var image = SavedAsLayout("out", "v1");
        var blob = TestImages.BlobPath(Temp.Combine("out"), image.Layers[0].Digest);
        File.Move(blob, Temp.Combine("elsewhere"));
        File.CreateSymbolicLink(blob, Temp.Combine("elsewhere"));

        Load("oci-layout:out").ManifestDigest.ShouldBe(image.ManifestDigest);
    }

    [Test]
    [CancelAfter(30_000)]
    public void An_index_json_that_is_a_fifo_is_MOD2231()
    {
        SavedAsLayout("out", "v1");
        File.Delete(Temp.Combine("out", "index.json"));
        Bounded.MakeFifo(Temp.Combine("out", "index.json"));

        Bounded.Within(TimeSpan.FromSeconds(10), () => Should.Throw<ModulusException>(() => Load("oci-layout:out"))).Code.ShouldBe("MOD2231");
    }

    private long StoredBytes() =>
        Directory.Exists(Store.Root) ? new DirectoryInfo(Store.Root).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length) : 0;

    [Test]
    public void A_layer_whose_content_differs_from_the_configs_diff_id_is_MOD2003()
    {
        var layout = Temp.Combine("out");
        var layer = TestImages.FileLayer(BuildStore, "a.txt", "a");
        var config = ImageConfig.Empty(Platform.LinuxAmd64).With(c => c["rootfs"]!["diff_ids"] = new JsonArray(Digest.Compute("other"u8).ToString()));
        WriteManifestLayout(layout, config.ToBytes(), (MediaTypes.OciLayerGzip, File.ReadAllBytes(layer.BlobPath)));

        var error = Should.Throw<ModulusException>(() => Load("oci-layout:out"));
        error.Code.ShouldBe("MOD2003");
        error.Message.ShouldContain(layer.DiffId.ToString());
    }

    [Test]
    public void A_zstd_layer_is_MOD2004()
    {
        var layout = Temp.Combine("out");
        var config = ImageConfig.Empty(Platform.LinuxAmd64).With(c => c["rootfs"]!["diff_ids"] = new JsonArray(Digest.Compute("x"u8).ToString()));
        WriteManifestLayout(layout, config.ToBytes(), (MediaTypes.OciLayerZstd, "not really zstd"u8.ToArray()));

        var error = Should.Throw<ModulusException>(() => Load("oci-layout:out"));
        error.Code.ShouldBe("MOD2004");
        error.Message.ShouldContain(MediaTypes.OciLayerZstd);
    }

    /// <summary>Writes a layout by hand: one manifest naming <paramref name="config"/> and the given layers.</summary>
    internal static Descriptor WriteManifestLayout(string layout, byte[] config, params (string MediaType, byte[] Blob)[] layers)
    {
        Directory.CreateDirectory(layout);
        File.WriteAllText(Path.Combine(layout, "oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        var manifest = new ImageManifest(MediaTypes.OciManifest,
            TestImages.PutBlob(layout, MediaTypes.OciConfig, config),
            layers.Select(l => TestImages.PutBlob(layout, l.MediaType, l.Blob)).ToArray());
        var descriptor = TestImages.PutBlob(layout, MediaTypes.OciManifest, OciJson.Serialize(manifest));
        File.WriteAllBytes(Path.Combine(layout, "index.json"), OciJson.Serialize(new ImageIndex(MediaTypes.OciIndex, [descriptor])));
        return descriptor;
    }

    /// <summary>Adds the images of layout <paramref name="from"/> (blobs and index entries) to <paramref name="into"/>.</summary>
    private static void MergeIndex(string from, string into)
    {
        foreach (var blob in Directory.GetFiles(Path.Combine(from, "blobs", "sha256")))
            File.Copy(blob, Path.Combine(into, "blobs", "sha256", Path.GetFileName(blob)), overwrite: true);
        var a = OciJson.Deserialize<ImageIndex>(File.ReadAllBytes(Path.Combine(from, "index.json")), "from");
        var b = OciJson.Deserialize<ImageIndex>(File.ReadAllBytes(Path.Combine(into, "index.json")), "into");
        File.WriteAllBytes(Path.Combine(into, "index.json"), OciJson.Serialize(b with { Manifests = [.. a.Manifests, .. b.Manifests] }));
    }
}
