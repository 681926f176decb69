using Modulus.Layers;
using Modulus.Oci;
using Modulus.Storage;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Storage;

/// <summary>
/// The store writes a layer once per set of inputs: asked again for the same records, content,
/// owners, modes and timestamp, it gives the blob it wrote, without tarring or compressing; any
/// one input changed is another layer.
/// </summary>
public class LayerMemoTests
{
    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory("layer-memo");

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private static readonly DateTimeOffset Timestamp = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    /// <summary>A host file, an inline file, a folder and a link: the inputs each variant below changes one of.</summary>
    private LayerEntry[] Entries(string hostText = "host body\n", int mode = 0b110_100_100, int uid = 0, string path = "/srv/app/config")
    {
        var host = _temp.Combine("host.txt");
        File.WriteAllText(host, hostText);
        return
        [
            new FileEntry(UnixPath.Parse("/srv/app/host.txt"), FileContent.FromFile(host), Mode: mode),
            new FileEntry(UnixPath.Parse(path), FileContent.FromText("inline\n"), uid, uid),
            new DirectoryEntry(UnixPath.Parse("/srv/data"), 1000, 1000, 0b111_101_000),
            new SymlinkEntry(UnixPath.Parse("/srv/current"), "app"),
        ];
    }

    private static LayerWriterOptions Options(DateTimeOffset? timestamp = null) => new(timestamp ?? Timestamp);

    [Test]
    public void The_same_inputs_asked_again_give_the_written_layer_without_writing()
    {
        var store = new BlobStore(_temp.Combine("store"));
        var writes = LayerWrites.Start();
        var first = store.WriteLayer(Entries(), Options());

        var again = store.WriteLayer(Entries(), Options());

        writes.Count.ShouldBe(1, "the second ask is answered from the memo");
        (again.Digest, again.DiffId, again.Size, again.BlobPath).ShouldBe((first.Digest, first.DiffId, first.Size, first.BlobPath));
        using var blob = again.OpenBlob();
        Digest.Compute(blob).ShouldBe(first.Digest);
    }

    [Test]
    public void A_hit_gives_the_bytes_a_write_gives()
    {
        var memoized = new BlobStore(_temp.Combine("store"));
        memoized.WriteLayer(Entries(), Options());
        var hit = memoized.WriteLayer(Entries(), Options());

        var fresh = new BlobStore(_temp.Combine("fresh")).WriteLayer(Entries(), Options());

        (hit.Digest, hit.DiffId, hit.Size).ShouldBe((fresh.Digest, fresh.DiffId, fresh.Size));
    }

    private static IEnumerable<TestCaseData> OneInputChanged()
    {
        yield return new TestCaseData(new Func<LayerMemoTests, LayerEntry[]>(t => t.Entries(hostText: "host bodY\n")), null).SetName("A content byte changed");
        yield return new TestCaseData(new Func<LayerMemoTests, LayerEntry[]>(t => t.Entries(mode: 0b110_100_000)), null).SetName("A mode changed");
        yield return new TestCaseData(new Func<LayerMemoTests, LayerEntry[]>(t => t.Entries(uid: 1000)), null).SetName("An owner changed");
        yield return new TestCaseData(new Func<LayerMemoTests, LayerEntry[]>(t => t.Entries(path: "/srv/app/konfig")), null).SetName("A path changed");
        yield return new TestCaseData(new Func<LayerMemoTests, LayerEntry[]>(t => t.Entries()), Timestamp.AddSeconds(1)).SetName("The timestamp changed");
    }

    [TestCaseSource(nameof(OneInputChanged))]
    public void Any_one_input_changed_is_written(Func<LayerMemoTests, LayerEntry[]> changed, DateTimeOffset? timestamp)
    {
        var store = new BlobStore(_temp.Combine("store"));
        var first = store.WriteLayer(Entries(), Options());
        var writes = LayerWrites.Start();

        var other = store.WriteLayer(changed(this), Options(timestamp));

        writes.Count.ShouldBe(1);
        other.Digest.ShouldNotBe(first.Digest);
        var fresh = new BlobStore(_temp.Combine("fresh")).WriteLayer(changed(this), Options(timestamp));
        (other.Digest, other.DiffId).ShouldBe((fresh.Digest, fresh.DiffId), "a miss writes the layer a fresh store writes");
    }

    [Test]
    public void A_hit_whose_blob_left_the_store_is_written_again()
    {
        var store = new BlobStore(_temp.Combine("store"));
        var first = store.WriteLayer(Entries(), Options());
        File.Delete(first.BlobPath);
        var writes = LayerWrites.Start();

        var again = store.WriteLayer(Entries(), Options());

        writes.Count.ShouldBe(1);
        again.Digest.ShouldBe(first.Digest);
        File.Exists(again.BlobPath).ShouldBeTrue();
    }

    [TestCase("modulus-layer-memo 1\n", TestName = "A memo entry of another version is ignored")]
    [TestCase("modulus-layer-memo 2\nsha256:nothex\n", TestName = "A memo entry that does not read back is ignored")]
    public void A_memo_entry_it_cannot_trust_is_written_over(string entry)
    {
        var store = new BlobStore(_temp.Combine("store"));
        var first = store.WriteLayer(Entries(), Options());
        var memo = Directory.GetFiles(Path.Combine(store.Root, "layers")).ShouldHaveSingleItem();
        File.WriteAllText(memo, entry);
        var writes = LayerWrites.Start();

        var again = store.WriteLayer(Entries(), Options());

        writes.Count.ShouldBe(1);
        again.Digest.ShouldBe(first.Digest);
        File.ReadAllText(memo).ShouldStartWith("modulus-layer-memo 2\n" + first.Digest);
    }

    [Test]
    public void A_memo_entry_whose_lines_do_not_match_their_check_is_written_over()
    {
        var store = new BlobStore(_temp.Combine("store"));
        var first = store.WriteLayer(Entries(), Options());
        var memo = Directory.GetFiles(Path.Combine(store.Root, "layers")).ShouldHaveSingleItem();
        var written = File.ReadAllText(memo);
        // Still a digest, but not the layer's: what a flipped bit on disk gives.
        var damaged = written.Replace(first.DiffId.ToString(), Digest.Compute("another tar"u8).ToString());
        damaged.ShouldNotBe(written);
        File.WriteAllText(memo, damaged);
        var writes = LayerWrites.Start();

        var again = store.WriteLayer(Entries(), Options());

        writes.Count.ShouldBe(1, "the damaged entry is not believed");
        again.DiffId.ShouldBe(first.DiffId);
        File.ReadAllText(memo).ShouldBe(written);
    }

    [Test]
    public void A_file_from_a_verified_source_is_keyed_by_the_identity_it_carries_without_reading_it()
    {
        var host = _temp.Combine("extracted.js");
        File.WriteAllText(host, "module.exports = 1;\n");
        LayerContents Contents(string identity) =>
            LayerContents.Of([new FileEntry(UnixPath.Parse("/lib/x.js"), FileContent.FromVerifiedFile(host, identity))]);
        var carried = Contents("npm sha256:aa package/x.js");
        File.WriteAllText(host, "module.exports = 2;\n"); // same length: only a read of the bytes could tell

        var key = LayerKey.Of(carried, Options());

        key.ShouldBe(LayerKey.Of(Contents("npm sha256:aa package/x.js"), Options()));
        key.ShouldNotBe(LayerKey.Of(Contents("npm sha256:bb package/x.js"), Options()), "another tarball is another layer");
    }
}
