using Modulus.Diagnostics;
using Modulus.Layers;
using Modulus.Oci;
using Modulus.Storage;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Storage;

public class BlobStoreWriteLayerTests
{
    private static LayerEntry[] Entries() =>
    [
        new FileEntry(UnixPath.Parse("/app/hello.txt"), FileContent.FromText("hello\n")),
        new SymlinkEntry(UnixPath.Parse("/hello"), "app/hello.txt"),
    ];

    [Test]
    public void WriteLayer_stores_the_blob_under_its_digest_and_leaves_no_temp_file()
    {
        using var temp = new TempDirectory("store");
        var store = new BlobStore(temp.Path);

        var layer = store.WriteLayer(Entries(), LayerWriterOptions.Default);

        layer.BlobPath.ShouldBe(Path.Combine(temp.Path, "sha256", layer.Digest.Encoded));
        Directory.GetFiles(Path.Combine(temp.Path, "sha256")).ShouldBe([layer.BlobPath]);
        new FileInfo(layer.BlobPath).Length.ShouldBe(layer.Size);
        using (var blob = layer.OpenBlob()) Digest.Compute(blob).ShouldBe(layer.Digest);
        using (var tar = layer.OpenTar()) Digest.Compute(tar).ShouldBe(layer.DiffId);
    }

    [Test]
    public void A_second_WriteLayer_of_the_same_entries_gives_the_same_blob()
    {
        using var temp = new TempDirectory("store");
        var store = new BlobStore(temp.Path);

        var first = store.WriteLayer(Entries(), LayerWriterOptions.Default);
        var second = store.WriteLayer(Entries(), LayerWriterOptions.Default);

        (second.Digest, second.DiffId, second.BlobPath).ShouldBe((first.Digest, first.DiffId, first.BlobPath));
        Directory.GetFiles(Path.Combine(temp.Path, "sha256")).Length.ShouldBe(1);
    }

    [Test]
    public void A_failed_WriteLayer_leaves_nothing_behind()
    {
        using var temp = new TempDirectory("store");
        var store = new BlobStore(temp.Path);

        Should.Throw<ModulusException>(() =>
            store.WriteLayer([new HardLinkEntry(UnixPath.Parse("/a"), UnixPath.Parse("/missing"))], LayerWriterOptions.Default));

        Directory.GetFiles(temp.Path, "*", SearchOption.AllDirectories).ShouldBeEmpty();
    }
}
