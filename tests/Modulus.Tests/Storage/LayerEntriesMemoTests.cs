using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Layers;
using Modulus.Storage;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Storage;

/// <summary>
/// The memo of a layer's entries: a view built from it is the view built from the tar, a layer
/// it remembers is not opened, a body it lacks is read from the layer, and what it holds is
/// believed only whole and only for its own diffID.
/// </summary>
public class LayerEntriesMemoTests : StoreTest
{
    protected override string FolderPrefix => "layer-memo";

    private static readonly UnixPath Passwd = UnixPath.Parse("/etc/passwd");

    /// <summary>A layer with every kind of entry the view merges, in an order a tar may have them.</summary>
    private static TarLayer EveryKind() => TarLayer.Of(
        TarLayer.Directory("etc", 0b111_101_101, 7, 8),
        TarLayer.File("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"),
        TarLayer.File("etc/empty", ""),
        TarLayer.File("etc/motd", "welcome\n", 0b110_000_000, 1_000_000, 70_000),
        TarLayer.File("usr/bin/tool", "#!/bin/sh\n" + new string('#', 200) + "\n", 0b111_101_101),
        TarLayer.File("usr/bin/tiny", "\u007fELF", 0b101_000_000),
        TarLayer.HardLink("etc/motd-again", "etc/motd"),
        TarLayer.Symlink("bin", "usr/bin"),
        TarLayer.Symlink("usr/lib/outside", "../../../../etc"),
        TarLayer.Whiteout("var/cache"),
        TarLayer.Opaque("srv"),
        TarLayer.Fifo("run/initctl"),
        TarLayer.CharDevice("dev/null", 1, 3),
        TarLayer.BlockDevice("dev/sda", 8, 0),
        TarLayer.Directory("etc/ünïcode dir/with a very long name that repeats its parent's prefix"));

    private static bool KeepsPasswd(UnixPath path) => path == Passwd;

    [Test]
    public void The_view_from_a_memo_is_the_view_from_the_tar_and_opens_no_layer()
    {
        var (below, layer) = (TarLayer.Of(TarLayer.File("var/cache/x", "x"), TarLayer.File("srv/old", "old")), EveryKind());
        var memo = new LayerEntriesMemo(Store);
        var read = ImageFileSystem.Read([below, layer], KeepsPasswd, memo);
        var (belowOpens, layerOpens) = (below.TarOpens, layer.TarOpens);

        var recalled = ImageFileSystem.Read([below, layer], KeepsPasswd, memo);

        (below.TarOpens, layer.TarOpens).ShouldBe((belowOpens, layerOpens), "both layers are remembered");
        recalled.All.ShouldBe(read.All);
        recalled.ReadFile(Passwd).ShouldBe(read.ReadFile(Passwd));
        layer.TarOpens.ShouldBe(layerOpens, "the kept body comes from the memo");
        Comparable(memo.Recall(layer.DiffId)!).ShouldBe(Comparable(Entries(layer, KeepsPasswd)), "every field of every entry, in archive order");
    }

    [Test]
    public void The_first_bytes_of_executables_come_from_the_memo_and_nothing_else_is_kept()
    {
        var layer = EveryKind();
        var memo = new LayerEntriesMemo(Store);
        ImageFileSystem.Read([layer], KeepsPasswd, memo);
        var opens = layer.TarOpens;

        var recalled = ImageFileSystem.Read([layer], KeepsPasswd, memo);

        var tool = recalled.ReadHead(UnixPath.Parse("/usr/bin/tool")).ShouldNotBeNull();
        tool.Length.ShouldBe(LayerReaderEntry.MaxHeadBytes);
        System.Text.Encoding.ASCII.GetString(tool).ShouldStartWith("#!/bin/sh\n###");
        recalled.ReadHead(UnixPath.Parse("/usr/bin/tiny")).ShouldBe("\u007fELF"u8.ToArray(), "a file shorter than a head is kept whole");
        recalled.ReadHead(UnixPath.Parse("/etc/passwd")).ShouldNotBeNull("a kept body gives its head");
        recalled.ReadHead(UnixPath.Parse("/etc/motd")).ShouldBeNull("no execute bit: no head kept, and none is read");
        recalled.ReadHead(UnixPath.Parse("/etc/motd-again")).ShouldBeNull();
        layer.TarOpens.ShouldBe(opens, "a head never opens a layer");
        memo.Recall(layer.DiffId)!.Where(e => e.Head is not null).Select(e => e.Path.Value).ShouldBe(["/usr/bin/tool", "/usr/bin/tiny"]);
    }

    [Test]
    public void A_body_the_memo_lacks_is_read_from_its_layer()
    {
        var layer = EveryKind();
        var memo = new LayerEntriesMemo(Store);
        ImageFileSystem.Read([layer], KeepsPasswd, memo);
        var view = ImageFileSystem.Read([layer], KeepsPasswd, memo);
        var opens = layer.TarOpens;

        view.ReadFile(UnixPath.Parse("/etc/motd-again")).ShouldBe("welcome\n"u8.ToArray(), "a hard link's body, through its target");
        view.ReadFile(UnixPath.Parse("/etc/empty")).ShouldBe([]);
        layer.TarOpens.ShouldBe(opens + 2, "each body not kept is one more pass over the layer");
    }

    [Test]
    public void A_reader_that_keeps_more_bodies_reads_the_layer_once_and_the_memo_grows()
    {
        var layer = EveryKind();
        var memo = new LayerEntriesMemo(Store);
        ImageFileSystem.Read([layer], KeepsPasswd, memo);
        var motd = UnixPath.Parse("/etc/motd");

        var opens = layer.TarOpens;
        ImageFileSystem.Read([layer], p => p == motd, memo).ReadFile(motd).ShouldBe("welcome\n"u8.ToArray());
        layer.TarOpens.ShouldBe(opens + 1, "the memo lacked /etc/motd's body");

        var both = ImageFileSystem.Read([layer], p => p == motd || p == Passwd, memo);
        both.ReadFile(motd).ShouldNotBeNull();
        both.ReadFile(Passwd).ShouldNotBeNull();
        layer.TarOpens.ShouldBe(opens + 1, "the memo now keeps both bodies");
        ImageFileSystem.Read([layer], null, memo);
        layer.TarOpens.ShouldBe(opens + 1, "a reader that keeps nothing needs nothing more");
    }

    [Test]
    public void A_layer_the_reader_refuses_is_not_remembered()
    {
        var hostile = TarLayer.Of(TarLayer.File("etc/passwd", "root::0:0::/:/bin/sh\n"), TarLayer.File("../../escape", "x"));
        var memo = new LayerEntriesMemo(Store);

        Should.Throw<ModulusException>(() => ImageFileSystem.Read([hostile], KeepsPasswd, memo)).Code.ShouldBe("MOD2101");

        memo.Recall(hostile.DiffId).ShouldBeNull();
        Directory.Exists(Path.Combine(Store.Root, "layer-entries")).ShouldBeFalse();
    }

    [Test]
    public void A_memo_is_believed_only_whole_and_for_its_own_diffID()
    {
        var (layer, other) = (EveryKind(), TarLayer.Of(TarLayer.File("other", "other")));
        var memo = new LayerEntriesMemo(Store);
        ImageFileSystem.Read([layer, other], KeepsPasswd, memo);
        var folder = Path.Combine(Store.Root, "layer-entries", "v3", "sha256");
        var (file, otherFile) = (Path.Combine(folder, layer.DiffId.Encoded), Path.Combine(folder, other.DiffId.Encoded));
        var good = File.ReadAllBytes(file);

        File.Copy(file, otherFile, overwrite: true);
        memo.Recall(other.DiffId).ShouldBeNull("a memo names the diffID it was written for");
        File.WriteAllBytes(file, good[..^1]);
        memo.Recall(layer.DiffId).ShouldBeNull("cut short");
        for (var i = 0; i < good.Length; i += 7)
        {
            var damaged = good.ToArray();
            damaged[i] ^= 0x20;
            File.WriteAllBytes(file, damaged);
            memo.Recall(layer.DiffId).ShouldBeNull($"byte {i} changed");
        }
        File.WriteAllBytes(file, []);
        memo.Recall(layer.DiffId).ShouldBeNull("empty");

        var opens = layer.TarOpens;
        ImageFileSystem.Read([layer], KeepsPasswd, memo).Get(Passwd).ShouldNotBeNull();
        layer.TarOpens.ShouldBe(opens + 1, "an unreadable memo is read again from the layer");
        File.ReadAllBytes(file).ShouldBe(good, "and written again");
    }

    [Test]
    public void The_memo_of_a_layer_is_written_beside_the_store_by_diffID()
    {
        var layer = EveryKind();
        new LayerEntriesMemo(Store).Remember(layer.DiffId, Entries(layer, KeepsPasswd));

        var file = Path.Combine(Store.Root, "layer-entries", "v3", layer.DiffId.Algorithm, layer.DiffId.Encoded);
        File.Exists(file).ShouldBeTrue();
        Directory.GetFiles(Path.GetDirectoryName(file)!).ShouldBe([file], "no temporary file is left");
    }

    /// <summary>Entries as values: a kept body by its bytes, not by reference.</summary>
    private static IEnumerable<object> Comparable(IReadOnlyList<LayerReaderEntry> entries) =>
        entries.Select(e => (object)(e with { Content = null, Head = null }, e.Content is null ? null : Convert.ToHexString(e.Content),
            e.Head is null ? null : Convert.ToHexString(e.Head)));

    /// <summary>The entries a full read of <paramref name="layer"/> gives, the bodies <paramref name="keep"/> names kept.</summary>
    private static IReadOnlyList<LayerReaderEntry> Entries(TarLayer layer, Func<UnixPath, bool> keep)
    {
        using var tar = layer.OpenBlob();
        return LayerReader.Read(tar, "test", LayerReaderOptions.HeadersOnly with { MaxCaptureBytes = ImageFileSystem.MaxKeptBodyBytes, CaptureWhere = keep, KeepExecutableHeads = true })
            .ToList();
    }
}
