using System.Formats.Tar;
using System.Text;
using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Layers;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Layers;

/// <summary>
/// Each test runs with the current directory set to an empty folder inside a temp folder, and
/// hostile entries aim at a sentinel beside it: the tear-down checks that nothing was created.
/// </summary>
public class LayerReaderTests
{
    private const string LayerName = "sha256:test-layer";

    private TempDirectory temp = null!;
    private string previousDirectory = null!;
    private string sentinelName = null!;

    private string Sentinel => temp.Combine(sentinelName);

    [SetUp]
    public void EnterEmptyFolder()
    {
        temp = new TempDirectory("layer-reader");
        sentinelName = "sentinel-" + Guid.NewGuid().ToString("N")[..8];
        Directory.CreateDirectory(temp.Combine("root"));
        previousDirectory = Environment.CurrentDirectory;
        Environment.CurrentDirectory = temp.Combine("root");
    }

    [TearDown]
    public void NothingWasWritten()
    {
        Environment.CurrentDirectory = previousDirectory;
        try
        {
            File.Exists(Sentinel).ShouldBeFalse();
            Directory.Exists(Sentinel).ShouldBeFalse();
            Directory.EnumerateFileSystemEntries(temp.Combine("root")).ShouldBeEmpty();
        }
        finally
        {
            temp.Dispose();
        }
    }

    [TestCase(TarEntryFormat.Ustar)]
    [TestCase(TarEntryFormat.Pax)]
    [TestCase(TarEntryFormat.Gnu)]
    public void Reads_paths_types_owners_and_modes_of_each_tar_format(TarEntryFormat format)
    {
        var longName = "usr/share/" + new string('d', 90) + "/file";
        var tar = TarLayer.Write(format,
            Make(format, TarEntryType.Directory, "usr/", 0b111_101_101, uid: 0, gid: 0),
            WithData(Make(format, TarEntryType.RegularFile, "usr/app", 0b100_111_101_101, uid: 1000, gid: 1001), "hello"),
            WithLink(Make(format, TarEntryType.SymbolicLink, "usr/link", 0b111_111_111), "app"),
            WithLink(Make(format, TarEntryType.HardLink, "usr/hard", 0b110_100_100), "usr/app"),
            WithData(Make(format, TarEntryType.RegularFile, longName, 0b110_100_000, uid: 7, gid: 8), "x"));

        var entries = Read(tar);

        entries.ShouldBe(
        [
            new LayerReaderEntry(P("/usr"), NodeType.Directory, 0, 0, 0b111_101_101, 0, null),
            new LayerReaderEntry(P("/usr/app"), NodeType.File, 1000, 1001, 0b100_111_101_101, 5, null),
            new LayerReaderEntry(P("/usr/link"), NodeType.Symlink, 0, 0, 0b111_111_111, 0, "app"),
            new LayerReaderEntry(P("/usr/hard"), NodeType.HardLink, 0, 0, 0b110_100_100, 0, "/usr/app"),
            new LayerReaderEntry(P("/" + longName), NodeType.File, 7, 8, 0b110_100_000, 1, null),
        ]);
    }

    [Test]
    public void Absolute_and_dotted_names_are_normalized_inside_the_root()
    {
        var tar = TarLayer.Write(TarEntryFormat.Pax,
            TarLayer.File("/etc/passwd", "root"),
            TarLayer.File("./a//b/./c", "x"),
            TarLayer.File(Sentinel, "absolute host path"),
            TarLayer.Directory("./"));

        Read(tar).Select(e => e.Path.Value).ShouldBe(["/etc/passwd", "/a/b/c", Sentinel, "/"]);
    }

    [TestCase("../../etc/passwd")]
    [TestCase("a/../../etc/passwd")]
    [TestCase("/../x")]
    public void A_name_climbing_above_the_root_is_refused_naming_the_layer_and_the_entry(string name)
    {
        var tar = TarLayer.Write(TarEntryFormat.Pax, TarLayer.File("ok", "x"), TarLayer.File(name, "pwned"));

        var error = Refused(tar, "MOD2101");

        error.Message.ShouldContain($"'{name}'");
        error.Message.ShouldContain(LayerName);
    }

    [Test]
    public void A_name_climbing_to_the_sentinel_beside_the_folder_is_refused()
    {
        var tar = TarLayer.Write(TarEntryFormat.Pax, TarLayer.File("../" + sentinelName, "pwned"));

        Refused(tar, "MOD2101").Message.ShouldContain(sentinelName);
    }

    [TestCase("../outside")]
    [TestCase("etc/../../outside")]
    public void A_hard_link_leaving_the_root_is_refused(string target)
    {
        var tar = TarLayer.Write(TarEntryFormat.Pax, TarLayer.HardLink("etc/link", target));

        var error = Refused(tar, "MOD2102");

        error.Message.ShouldContain("'etc/link'");
        error.Message.ShouldContain($"'{target}'");
    }

    [Test]
    public void Symlink_targets_are_kept_verbatim_even_when_they_climb_above_the_root()
    {
        // Resolution keeps them inside the image (ImageFileSystemTests); here they are only data.
        var tar = TarLayer.Write(TarEntryFormat.Pax,
            TarLayer.Symlink("etc/alt", "/etc/shadow"),
            TarLayer.Symlink("a", "../../.."),
            TarLayer.Symlink("escape", "../" + sentinelName));

        Read(tar).Select(e => (e.Type, e.LinkTarget)).ShouldBe(
            [(NodeType.Symlink, "/etc/shadow"), (NodeType.Symlink, "../../.."), (NodeType.Symlink, "../" + sentinelName)]);
    }

    [TestCase(1025, "1025 folders deep", TestName = "An entry one folder deeper than the limit is MOD2120")]
    [TestCase(20_000, "name is 40001 bytes long", TestName = "An entry 20000 folders deep is MOD2120 at once, naming the layer and the entry shortened")]
    [TestCase(-256, "name has a name of 256 bytes", TestName = "An entry with a name longer than NAME_MAX (255 bytes) is MOD2120")]
    [CancelAfter(30_000)]
    public void Entries_beyond_the_path_limits_are_refused_while_reading(int depth, string why)
    {
        // A negative depth: one folder whose name is that many bytes long.
        var name = depth < 0 ? new string('n', -depth) + "/f" : string.Concat(Enumerable.Repeat("a/", depth)) + "f";
        var tar = TarLayer.Write(TarEntryFormat.Pax, TarLayer.File("ok", "x"), TarLayer.File(name, "x"));

        var error = Bounded.Within(TimeSpan.FromSeconds(10), () => Should.Throw<ModulusException>(() => Read(tar)));

        error.Code.ShouldBe("MOD2120");
        error.Message.ShouldContain(LayerName);
        error.Message.ShouldContain(why);
        error.Message.Length.ShouldBeLessThan(600, "the entry's name is shortened");
    }

    [Test]
    public void A_path_at_the_limits_is_read()
    {
        var deepest = string.Concat(Enumerable.Repeat("a/", LayerReader.MaxPathDepth)) + "f";
        // 4096 bytes, no name over 255: 15 names of 255, one of 254 and "x", and their 16 slashes.
        var longest = string.Join('/', [.. Enumerable.Repeat(new string('n', 255), 15), new string('m', 254), "x"]);
        longest.Length.ShouldBe(LayerReader.MaxPathBytes);
        var tar = TarLayer.Write(TarEntryFormat.Pax, TarLayer.File(deepest, "x"), TarLayer.File(longest, "y"));

        Read(tar).Select(e => e.Path.TarName).ShouldBe([deepest, longest]);
    }

    [Test]
    public void A_link_target_longer_than_path_max_is_MOD2120()
    {
        var tar = TarLayer.Write(TarEntryFormat.Pax, TarLayer.Symlink("link", new string('t', LayerReader.MaxPathBytes + 1)));

        var error = Should.Throw<ModulusException>(() => Read(tar));

        error.Code.ShouldBe("MOD2120");
        error.Message.ShouldContain("link target is 4097 bytes long");
    }

    [Test]
    public void Device_nodes_and_fifos_are_recorded_never_created()
    {
        var tar = TarLayer.Write(TarEntryFormat.Pax,
            TarLayer.CharDevice("dev/null", 1, 3),
            TarLayer.BlockDevice("dev/sda", 8, 0),
            TarLayer.Fifo("run/initctl"),
            TarLayer.Fifo(sentinelName));

        Read(tar).Select(e => (e.Path.Value, e.Type)).ShouldBe(
            [("/dev/null", NodeType.CharDevice), ("/dev/sda", NodeType.BlockDevice), ("/run/initctl", NodeType.Fifo), ("/" + sentinelName, NodeType.Fifo)]);
    }

    [Test]
    public void Whiteouts_name_the_hidden_path_and_opaque_markers_name_their_directory()
    {
        var tar = TarLayer.Write(TarEntryFormat.Pax,
            TarLayer.Whiteout("etc/old.conf"),
            TarLayer.Whiteout("top"),
            TarLayer.Opaque("var/cache"),
            TarLayer.File("var/.wh..wh.plnk", "aufs bookkeeping"));

        Read(tar).Select(e => (e.Path.Value, e.Marker)).ShouldBe(
        [
            ("/etc/old.conf", LayerEntryMarker.Whiteout),
            ("/top", LayerEntryMarker.Whiteout),
            ("/var/cache", LayerEntryMarker.OpaqueDirectory),
        ]);
    }

    [Test]
    public void A_gnu_sparse_file_is_refused()
    {
        var tar = Archive(TarLayer.RawHeader("var/sparse.img", 'S', 0));

        Refused(tar, "MOD2105").Message.ShouldContain("'var/sparse.img'");
    }

    [Test]
    public void A_pax_sparse_file_is_refused()
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, "GNUSparseFile.0/disk.img",
            new Dictionary<string, string> { ["GNU.sparse.major"] = "1", ["GNU.sparse.minor"] = "0" });

        Refused(TarLayer.Write(TarEntryFormat.Pax, entry), "MOD2105").Message.ShouldContain("disk.img");
    }

    [TestCase("gnu")]
    [TestCase("pax")]
    public void A_sparse_file_written_by_gnu_tar_is_refused(string format)
    {
        var tar = Tools.Require("tar");
        var source = temp.Combine("src");
        Directory.CreateDirectory(source);
        using (var sparse = File.Create(Path.Combine(source, "disk.img"))) sparse.SetLength(1 << 20);
        var archive = temp.Combine("sparse.tar");
        Tools.RunChecked(tar, ["--sparse", $"--format={format}", "-cf", archive, "-C", source, "disk.img"]);

        Refused(File.ReadAllBytes(archive), "MOD2105").Message.ShouldContain("disk.img");
    }

    [Test]
    public void An_archive_cut_inside_a_body_is_truncated_naming_the_entry()
    {
        var tar = TarLayer.Write(TarEntryFormat.Ustar, TarLayer.File("etc/small", "x"), TarLayer.File("usr/lib/big.so", new byte[4000]));

        var bodyStart = tar.Length - 1024 - 4096; // the body, padded to 512, then the two end blocks
        var error = Refused(tar[..(bodyStart + 1000)], "MOD2103");

        error.Message.ShouldContain("'usr/lib/big.so'");
        error.Message.ShouldContain(LayerName);
    }

    [Test]
    public void An_archive_cut_inside_a_header_names_the_entry_before_it()
    {
        var tar = Archive(TarLayer.RawHeader("etc/first", '0', 10), new byte[512], TarLayer.RawHeader("etc/second", '0', 0));

        Refused(tar[..(1024 + 100)], "MOD2103").Message.ShouldContain("(the header after 'etc/first')");
    }

    [Test]
    public void A_size_that_promises_more_than_the_archive_holds_is_truncated()
    {
        var tar = Archive(TarLayer.RawHeader("etc/liar", '0', 4096), new byte[100]);

        Refused(tar, "MOD2103").Message.ShouldContain("'etc/liar'");
    }

    [Test]
    public void A_huge_declared_size_is_truncated_when_skipped_and_too_large_when_captured()
    {
        const long EightGiB = 8L << 30;
        var tar = Archive(TarLayer.RawHeader("etc/huge", '0', EightGiB), new byte[512]);

        Refused(tar, "MOD2103").Message.ShouldContain("'etc/huge'");
        var error = Refused(tar, "MOD2106", Capture("/etc/huge", 1 << 20));
        error.Message.ShouldContain("'etc/huge'");
        error.Message.ShouldContain(EightGiB.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void Random_garbage_is_unreadable(int seed)
    {
        var garbage = new byte[4096];
        new Random(seed).NextBytes(garbage);

        Refused(garbage, "MOD2104").Message.ShouldContain(LayerName);
    }

    [Test]
    public void Bodies_are_captured_only_for_the_paths_asked_for()
    {
        var tar = TarLayer.Write(TarEntryFormat.Pax,
            TarLayer.File("etc/passwd", "root:x:0:0::/root:/bin/sh\n"),
            TarLayer.File("etc/shadow", "secret"),
            TarLayer.File("etc/group", ""));

        var entries = Read(tar, Capture("/etc/passwd", 100, "/etc/group"));

        Encoding.UTF8.GetString(entries[0].Content!).ShouldBe("root:x:0:0::/root:/bin/sh\n");
        entries[1].Content.ShouldBeNull();
        entries[2].Content.ShouldBe([]);
    }

    [Test]
    public void A_captured_body_over_the_cap_is_refused()
    {
        var tar = TarLayer.Write(TarEntryFormat.Pax, TarLayer.File("etc/passwd", new byte[101]));

        var error = Refused(tar, "MOD2106", Capture("/etc/passwd", 100));

        error.Message.ShouldContain("'etc/passwd' of 101 bytes");
        error.Message.ShouldContain("limit of 100 bytes");
    }

    [Test]
    public void An_empty_stream_has_no_entries()
    {
        Read([]).ShouldBeEmpty();
    }

    private static List<LayerReaderEntry> Read(byte[] tar, LayerReaderOptions? options = null) =>
        LayerReader.Read(new MemoryStream(tar), LayerName, options).ToList();

    private static ModulusException Refused(byte[] tar, string code, LayerReaderOptions? options = null)
    {
        var error = Should.Throw<ModulusException>(() => Read(tar, options));
        error.Code.ShouldBe(code, error.Message);
        return error;
    }

    private static LayerReaderOptions Capture(string path, long maxBytes, params string[] more) =>
        new(more.Prepend(path).Select(P).ToHashSet(), maxBytes);

    /// <summary>Raw blocks followed by the two zero blocks that end an archive.</summary>
    private static byte[] Archive(params byte[][] blocks) => [.. blocks.SelectMany(b => b), .. new byte[1024]];

    private static UnixPath P(string path) => UnixPath.Parse(path);

    private static TarEntry Make(TarEntryFormat format, TarEntryType type, string name, int mode, int uid = 0, int gid = 0)
    {
        TarEntry entry = format switch
        {
            TarEntryFormat.Ustar => new UstarTarEntry(type, name),
            TarEntryFormat.Gnu => new GnuTarEntry(type, name),
            _ => new PaxTarEntry(type, name),
        };
        entry.Mode = (UnixFileMode)mode;
        entry.Uid = uid;
        entry.Gid = gid;
        return entry;
    }

    private static TarEntry WithData(TarEntry entry, string content)
    {
        entry.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content));
        return entry;
    }

    private static TarEntry WithLink(TarEntry entry, string target)
    {
        entry.LinkName = target;
        return entry;
    }
}
