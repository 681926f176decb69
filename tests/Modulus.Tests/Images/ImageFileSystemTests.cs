using System.Diagnostics;
using System.Text;
using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Layers;
using Modulus.Tests.TestSupport;
using static Modulus.Tests.TestSupport.TarLayer;

namespace Modulus.Tests.Images;

public class ImageFileSystemTests
{
    [Test]
    public void A_whiteout_removes_the_path_and_its_subtree_from_lower_layers()
    {
        var fs = Merge(
            Of(File("etc/a", "a"), File("usr/share/doc/x", "x"), File("usr/share/doc/y/z", "z"), File("usr/share/keep", "k")),
            Of(Whiteout("usr/share/doc"), Whiteout("etc/a")));

        fs.Exists(P("/etc/a")).ShouldBeFalse();
        fs.Exists(P("/usr/share/doc")).ShouldBeFalse();
        fs.Exists(P("/usr/share/doc/y/z")).ShouldBeFalse();
        Paths(fs.List(P("/usr/share"))).ShouldBe(["/usr/share/keep"]);
        fs.Exists(P("/etc")).ShouldBeTrue();
    }

    [Test]
    public void A_whiteout_does_not_hide_its_own_layers_entry_whatever_the_order()
    {
        var fs = Merge(Of(File("etc/a", "old")), Of(File("etc/a", "new"), Whiteout("etc/a")));

        Text(fs.ReadFile(P("/etc/a"))).ShouldBe("new");
        fs.Get(P("/etc/a"))!.LayerIndex.ShouldBe(1);
    }

    [Test]
    public void An_opaque_directory_hides_lower_contents_but_not_its_own_layers()
    {
        var fs = Merge(
            Of(File("etc/a", "a"), File("etc/sub/b", "b"), File("var/x", "x")),
            Of(File("etc/c", "c"), Directory("etc", mode: 0b111_000_000), Opaque("etc")));

        Paths(fs.List(P("/etc"))).ShouldBe(["/etc/c"]);
        fs.Exists(P("/etc/sub/b")).ShouldBeFalse();
        fs.Get(P("/etc"))!.Mode.ShouldBe(0b111_000_000);
        fs.Exists(P("/var/x")).ShouldBeTrue();
    }

    [Test]
    public void A_later_layer_overrides_type_owner_and_mode_and_a_directory_keeps_its_contents()
    {
        var fs = Merge(
            Of(File("etc/x", "x"), Directory("srv"), File("srv/data", "d")),
            Of(File("etc/x", "y", mode: 0b110_000_000, uid: 1000, gid: 1001), Directory("srv", mode: 0b111_000_000, uid: 5, gid: 6)));

        fs.Get(P("/etc/x")).ShouldBe(new FileSystemNode(P("/etc/x"), NodeType.File, 1000, 1001, 0b110_000_000, 1, null, 1));
        fs.Get(P("/srv")).ShouldBe(new FileSystemNode(P("/srv"), NodeType.Directory, 5, 6, 0b111_000_000, 0, null, 1));
        fs.Exists(P("/srv/data")).ShouldBeTrue();
    }

    [Test]
    public void A_file_replacing_a_directory_drops_its_subtree()
    {
        var fs = Merge(Of(File("opt/app/bin/run", "#!"), File("opt/app/lib", "l")), Of(File("opt/app", "now a file")));

        fs.Get(P("/opt/app"))!.Type.ShouldBe(NodeType.File);
        fs.Exists(P("/opt/app/bin")).ShouldBeFalse();
        fs.Exists(P("/opt/app/bin/run")).ShouldBeFalse();
        fs.All.Select(n => n.Path.Value).ShouldBe(["/", "/opt", "/opt/app"]);
    }

    [Test]
    public void Parents_of_an_entry_are_implied_as_root_owned_directories()
    {
        var fs = Merge(Of(File("a/b/c", "c", uid: 7)));

        fs.Get(P("/a/b")).ShouldBe(new FileSystemNode(P("/a/b"), NodeType.Directory, 0, 0, 0b111_101_101, 0, null, 0));
        Paths(fs.List(UnixPath.Root)).ShouldBe(["/a"]);
    }

    [Test]
    public void Resolve_follows_symlinked_directories_and_entries_below_them_land_in_the_target()
    {
        var fs = Merge(
            Of(Directory("usr/bin"), File("usr/bin/sh", "sh"), Symlink("bin", "usr/bin"), Symlink("usr/lib64", "/usr/lib")),
            Of(File("bin/bash", "bash"), File("usr/lib/libc.so", "c")));

        fs.Resolve(P("/bin/sh")).ShouldBe(P("/usr/bin/sh"));
        fs.Resolve(P("/bin/bash")).ShouldBe(P("/usr/bin/bash"));
        fs.Get(P("/bin"))!.Type.ShouldBe(NodeType.Symlink);
        fs.Resolve(P("/usr/lib64/libc.so")).ShouldBe(P("/usr/lib/libc.so"));
        Paths(fs.List(P("/bin"))).ShouldBe(["/usr/bin/bash", "/usr/bin/sh"]);
        Text(fs.ReadFile(P("/usr/bin/bash"))).ShouldBe("bash");
    }

    [Test]
    public void A_whiteout_below_a_symlinked_directory_hides_the_target()
    {
        var fs = Merge(Of(File("usr/bin/sh", "sh"), File("usr/bin/ls", "ls"), Symlink("bin", "usr/bin")), Of(Whiteout("bin/sh")));

        fs.Exists(P("/usr/bin/sh")).ShouldBeFalse();
        fs.Exists(P("/usr/bin/ls")).ShouldBeTrue();
        fs.Get(P("/bin"))!.Type.ShouldBe(NodeType.Symlink);
    }

    [Test]
    public void A_directory_replacing_a_symlink_stops_redirecting_entries()
    {
        var fs = Merge(Of(Directory("usr/bin"), Symlink("bin", "usr/bin")), Of(Directory("bin"), File("bin/tool", "t")));

        fs.Get(P("/bin"))!.Type.ShouldBe(NodeType.Directory);
        fs.Exists(P("/bin/tool")).ShouldBeTrue();
        fs.Exists(P("/usr/bin/tool")).ShouldBeFalse();
    }

    [Test]
    public void An_absolute_symlink_resolves_against_the_image_root_never_the_host()
    {
        var fs = Merge(Of(File("etc/shadow", "image shadow"), Symlink("etc/alt", "/etc/shadow")));

        fs.Resolve(P("/etc/alt")).ShouldBe(P("/etc/shadow"));
        Text(fs.ReadFile(P("/etc/alt"))).ShouldBe("image shadow");
    }

    [Test]
    public void Dot_dot_at_the_root_stays_at_the_root()
    {
        var fs = Merge(Of(File("etc/passwd", "p"), Symlink("a", "../../.."), Symlink("etc/up", "../../../../etc")));

        fs.Resolve(P("/a")).ShouldBe(UnixPath.Root);
        fs.Resolve(P("/a/etc/passwd")).ShouldBe(P("/etc/passwd"));
        fs.Resolve(P("/etc/up/passwd")).ShouldBe(P("/etc/passwd"));
    }

    [Test]
    public void Loops_and_missing_components_resolve_to_null()
    {
        var fs = Merge(Of(Symlink("a", "b"), Symlink("b", "a"), Symlink("self", "self"), Symlink("dangling", "nowhere"), File("file", "f")));

        fs.Resolve(P("/a")).ShouldBeNull();
        fs.Resolve(P("/self/x")).ShouldBeNull();
        fs.Resolve(P("/dangling")).ShouldBeNull();
        fs.Resolve(P("/file/x")).ShouldBeNull();
        fs.Exists(P("/dangling")).ShouldBeTrue();
    }

    [Test]
    public void Forty_symlink_hops_resolve_and_forty_one_do_not()
    {
        var links = Enumerable.Range(0, 41).Select(i => Symlink($"l{i}", $"l{i + 1}")).Append(File("l41", "end"));
        var fs = Merge(Of([.. links]));

        fs.Resolve(P("/l1")).ShouldBe(P("/l41"));
        fs.Resolve(P("/l0")).ShouldBeNull();
    }

    [Test]
    public void ReadFile_follows_symlinks_and_hard_links_and_returns_the_topmost_content()
    {
        var fs = Merge(
            Of(File("usr/share/base-passwd/passwd", "base"), Symlink("etc/passwd", "../usr/share/base-passwd/passwd"), File("etc/motd", "old")),
            Of(File("etc/motd", "new"), File("usr/bin/real", "binary"), HardLink("usr/bin/alias", "usr/bin/real"), HardLink("usr/bin/again", "usr/bin/alias")));

        Text(fs.ReadFile(P("/etc/passwd"))).ShouldBe("base");
        Text(fs.ReadFile(P("/etc/motd"))).ShouldBe("new");
        Text(fs.ReadFile(P("/usr/bin/alias"))).ShouldBe("binary");
        Text(fs.ReadFile(P("/usr/bin/again"))).ShouldBe("binary");
        fs.ReadFile(P("/usr/bin")).ShouldBeNull();
        fs.ReadFile(P("/missing")).ShouldBeNull();
    }

    [Test]
    public void A_hard_link_to_a_file_of_a_lower_layer_reads_that_file()
    {
        var fs = Merge(Of(File("lib/a.so", "lower")), Of(HardLink("lib/b.so", "lib/a.so")));

        Text(fs.ReadFile(P("/lib/b.so"))).ShouldBe("lower");
    }

    [Test]
    public void ReadFile_refuses_a_file_over_the_limit()
    {
        var fs = Merge(Of(File("etc/big", new byte[2000]), File("etc/target", new byte[2000]), HardLink("etc/link", "etc/target")));

        Should.Throw<ModulusException>(() => fs.ReadFile(P("/etc/big"), maxBytes: 1000)).Code.ShouldBe("MOD2106");
        Should.Throw<ModulusException>(() => fs.ReadFile(P("/etc/link"), maxBytes: 1000)).Message.ShouldContain("'etc/target' of 2000 bytes");
    }

    [Test]
    public void A_hostile_layer_fails_the_read_naming_that_layer()
    {
        var hostile = Of(File("../../etc/passwd", "pwned"));

        var error = Should.Throw<ModulusException>(() => Merge(Of(File("ok", "x")), hostile));

        error.Code.ShouldBe("MOD2101");
        error.Message.ShouldContain(hostile.Digest.ToString());
    }

    [Test]
    public void Devices_and_fifos_appear_as_nodes()
    {
        var fs = Merge(Of(CharDevice("dev/null", 1, 3), Fifo("run/ctl")));

        fs.Get(P("/dev/null"))!.Type.ShouldBe(NodeType.CharDevice);
        fs.Get(P("/run/ctl"))!.Type.ShouldBe(NodeType.Fifo);
        fs.ReadFile(P("/dev/null")).ShouldBeNull();
    }

    [Test]
    public void Ten_thousand_entries_merge_in_one_read_and_are_queried_well_under_a_second()
    {
        // In the order of a base image's tar: /etc before /usr.
        var baseEntries = Enumerable.Range(0, 10_000).Select(i => File($"usr/lib/pkg{i % 100}/file{i}", "x"));
        var baseLayer = Of([File("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"), Symlink("lib", "usr/lib"), .. baseEntries]);
        var upperLayer = Of(Whiteout("usr/lib/pkg7"), File("usr/lib/pkg8/file8", "y"));
        var fs = Merge(baseLayer, upperLayer);
        (baseLayer.TarOpens, upperLayer.TarOpens).ShouldBe((1, 1));

        var clock = Stopwatch.StartNew();
        var underLib = fs.All.Where(n => n.Path.Value.StartsWith("/usr/lib/", StringComparison.Ordinal)).ToArray();
        var resolved = underLib.Count(n => fs.Resolve(P("/lib" + n.Path.Value["/usr/lib".Length..])) == n.Path);
        var listed = fs.List(P("/lib")).Count();
        var accounts = AccountDatabase.FromFileSystem(fs);
        clock.Stop();

        listed.ShouldBe(99);
        underLib.Length.ShouldBe(99 + 9_900); // pkg7's directory and its 100 files are whited out
        resolved.ShouldBe(underLib.Length);
        accounts.FindUserId("root").ShouldBe(0);
        clock.ElapsedMilliseconds.ShouldBeLessThan(1000);
        (baseLayer.TarOpens, upperLayer.TarOpens).ShouldBe((2, 1)); // /etc/passwd's body, from the base layer only
    }

    [Test]
    [CancelAfter(60_000)]
    public void Placing_an_entry_costs_the_length_of_its_path_not_its_depth_times_that()
    {
        // Two layers of 200 files whose folder paths are equally long (~4000 bytes): 16 folders
        // deep and 800 deep. Placing a file in a folder already there is one lookup either way;
        // a walk from the root that normalizes the path again at each step made the deep one
        // hundreds of times slower.
        static TarLayer FilesIn(string folder) => Of(Enumerable.Range(0, 200).Select(i => File($"{folder}/f{i}", "x")).ToArray());
        static double Seconds(TarLayer layer)
        {
            var best = double.MaxValue;
            for (var run = 0; run < 5; run++)
            {
                var clock = Stopwatch.StartNew();
                Merge(layer);
                best = Math.Min(best, clock.Elapsed.TotalSeconds);
            }
            return best;
        }
        var shallow = FilesIn(string.Join('/', Enumerable.Repeat(new string('s', 249), 16)));
        var deep = FilesIn(string.Concat(Enumerable.Repeat("abcd/", 799)) + "abcd");
        Seconds(shallow);

        var (shallowSeconds, deepSeconds) = (Seconds(shallow), Seconds(deep));

        Merge(deep).Get(UnixPath.Parse("/" + string.Concat(Enumerable.Repeat("abcd/", 799)) + "abcd/f199")).ShouldNotBeNull();
        deepSeconds.ShouldBeLessThan(Math.Max(5 * shallowSeconds, 0.05), $"16 folders deep: {shallowSeconds * 1000:0.0} ms; 800 deep: {deepSeconds * 1000:0.0} ms");
    }

    [Test]
    [CancelAfter(60_000)]
    public void Deep_entries_whose_folders_the_layer_does_not_list_are_MOD2252_past_the_limit_in_seconds()
    {
        // 200 entries 1024 folders deep, each from a folder of its own: 4 KB of tar each, but 1024
        // implied folders of up to 2 KB each in the view. Unbounded, that was 10 s and a gigabyte.
        var layer = Of(Enumerable.Range(0, 200).Select(i => File($"d{i}/" + string.Concat(Enumerable.Repeat("a/", 1023)) + "f", "x")).ToArray());
        var clock = Stopwatch.StartNew();

        var error = Bounded.Within(TimeSpan.FromSeconds(30), () => Should.Throw<ModulusException>(() => Merge(layer)));

        error.Code.ShouldBe("MOD2252");
        error.Message.ShouldContain(layer.Digest.ToString());
        error.Message.ShouldContain("128 MiB of memory");
        error.Message.Length.ShouldBeLessThan(700, "the entry's name is shortened");
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(20));
    }

    [Test]
    public void An_entry_that_lands_beyond_path_max_through_a_link_of_a_lower_layer_is_MOD2251()
    {
        // Each name keeps the limits, 3000 and 2000 bytes; through the link the file lands at 5000.
        var far = string.Join('/', Enumerable.Repeat(new string('t', 199), 15));
        var below = string.Join('/', Enumerable.Repeat(new string('b', 199), 10));
        var upper = Of(File($"l/{below}/f", "x"));

        var error = Should.Throw<ModulusException>(() => Merge(Of(Directory(far), Symlink("l", far)), upper));

        error.Code.ShouldBe("MOD2251");
        error.Message.ShouldContain(upper.Digest.ToString());
        error.Message.ShouldContain("beyond the limit of 4096 bytes");
    }

    private static ImageFileSystem Merge(params TarLayer[] layers) => ImageFileSystem.Read(layers);

    private static UnixPath P(string path) => UnixPath.Parse(path);

    private static string[] Paths(IEnumerable<FileSystemNode> nodes) => [.. nodes.Select(n => n.Path.Value)];

    private static string? Text(byte[]? content) => content is null ? null : Encoding.UTF8.GetString(content);
}
