using System.Formats.Tar;
using Modulus.Debian;
using Modulus.Diagnostics;
using Modulus.Tests.TestSupport;
using static Modulus.Tests.Debian.DebFixture;

namespace Modulus.Tests.Debian;

public class DebUnpackerTests
{
    private static readonly Entry[] Hello =
    [
        new("./", TarEntryType.Directory, Mode: 0b111_101_101),
        new("./usr/", TarEntryType.Directory, Mode: 0b111_101_101),
        new("./usr/bin/", TarEntryType.Directory, Mode: 0b111_101_101),
        new("./usr/bin/hello", Content: "#!/bin/sh\necho hello\n", Mode: 0b111_101_101),
        new("./usr/bin/hi", TarEntryType.HardLink, LinkName: "./usr/bin/hello", Mode: 0b111_101_101),
        new("./usr/bin/sudo-ish", Content: "x", Mode: 0b100_111_101_101, Gid: 42),
        new("./bin/", TarEntryType.Directory, Mode: 0b111_101_101),
        new("./bin/hello", TarEntryType.SymbolicLink, LinkName: "/usr/bin/hello"),
    ];

    [TestCase(Compression.Gzip)]
    [TestCase(Compression.Zstd)]
    [TestCase(Compression.None)]
    public void A_deb_unpacks_with_modes_owners_and_links_kept(Compression compression)
    {
        using var temp = new TempDirectory("deb");
        var deb = temp.Combine("hello.deb");
        File.WriteAllBytes(deb, Build("hello", "1.0-1", Hello, compression, new Dictionary<string, string> { ["md5sums"] = "abc  usr/bin/hello\n" }));

        var package = DebUnpacker.Unpack(deb, temp.Combine("unpacked"), "hello");

        package.Name.ShouldBe("hello");
        package.Control["Version"].ShouldBe("1.0-1");
        package.ControlMembers.ShouldBe(["md5sums"]);
        var entries = package.Entries.ToDictionary(e => e.Path);
        var hello = entries["/usr/bin/hello"];
        hello.Type.ShouldBe(DebEntryType.File);
        hello.Mode.ShouldBe(0b111_101_101);
        File.ReadAllText(package.BodyPath(hello)).ShouldBe("#!/bin/sh\necho hello\n");
        entries["/usr/bin/sudo-ish"].Mode.ShouldBe(0b100_111_101_101, "setuid is kept");
        entries["/usr/bin/sudo-ish"].Gid.ShouldBe(42);
        entries["/usr/bin/hi"].ShouldBe(new DebEntry("/usr/bin/hi", DebEntryType.HardLink, 0b111_101_101, 0, 0, "/usr/bin/hello"));
        entries["/bin/hello"].Target.ShouldBe("/usr/bin/hello");
        DebUnpacker.Unpack("/nonexistent.deb", temp.Combine("unpacked"), "hello").Entries.Count.ShouldBe(package.Entries.Count, "an unpacked package is read from the cache");
    }

    [Test]
    public void Merged_usr_puts_package_paths_below_usr_and_dpkg_lists_the_package_paths()
    {
        using var temp = new TempDirectory("deb");
        var deb = temp.Combine("hello.deb");
        File.WriteAllBytes(deb, Build("hello", "1.0-1", Hello));
        var package = DebUnpacker.Unpack(deb, temp.Combine("unpacked"), "hello");
        var tree = new InstallTree(InstallTree.MergedUsrDirectories("amd64"));
        tree.AddMergedUsrLinks();
        tree.AddPackage(package);
        DpkgDatabase.Write(tree, [package], []);

        var entries = tree.ToEntries().ToDictionary(e => e.Path.Value);
        entries["/bin"].ShouldBeOfType<Modulus.Layers.SymlinkEntry>().Target.ShouldBe("usr/bin");
        entries["/usr/bin/hello"].ShouldBeOfType<Modulus.Layers.FileEntry>();
        entries["/usr/bin/hi"].ShouldBeOfType<Modulus.Layers.HardLinkEntry>("a hard link stays one").Target.Value.ShouldBe("/usr/bin/hello");
        entries.Keys.ShouldNotContain("/bin/hello");
        var list = Read(entries["/var/lib/dpkg/info/hello.list"]);
        list.ShouldBe("/.\n/usr\n/usr/bin\n/usr/bin/hello\n/usr/bin/hi\n/usr/bin/sudo-ish\n/bin\n/bin/hello\n");
        Read(entries["/var/lib/dpkg/status"]).ShouldStartWith("Package: hello\nStatus: install ok installed\nVersion: 1.0-1\n");
    }

    private static readonly object[] Hostile =
    [
        new object[] { "not an ar archive", "garbage"u8.ToArray(), "MOD3012" },
        new object[] { "truncated ar header", "!<arch>\ndebian-binary   0     "u8.ToArray(), "MOD3012" },
        new object[] { "member larger than the file", Ar(("debian-binary", "2.0\n"u8.ToArray()))[..^2], "MOD3012" },
        new object[] { "ar member name with a slash in the middle", Ar(("../../x", "2.0\n"u8.ToArray())), "MOD3012" },
        new object[] { "no data.tar", Ar(("debian-binary", "2.0\n"u8.ToArray()), ("control.tar", Tar([new("./control", Content: "Package: x\n")]))), "MOD3012" },
        new object[] { "data entry climbing out", Build("x", "1", [new("./../../etc/passwd", Content: "root::0:0::/:/bin/sh\n")]), "MOD3013" },
        new object[] { "hard link to outside", Build("x", "1", [new("./a", TarEntryType.HardLink, LinkName: "../../etc/shadow")]), "MOD3013" },
        new object[] { "hard link to nothing", Build("x", "1", [new("./a", TarEntryType.HardLink, LinkName: "./b")]), "MOD3012" },
        new object[] { "device node", Build("x", "1", [new("./dev/sda", TarEntryType.BlockDevice)]), "MOD3012" },
        new object[] { "control member in a folder", Ar(("debian-binary", "2.0\n"u8.ToArray()), ("control.tar", Tar([new("./sub/control", Content: "x")])), ("data.tar", Tar([]))), "MOD3012" },
    ];

    [TestCaseSource(nameof(Hostile))]
    public void Hostile_debs_are_refused_and_leave_nothing_in_the_cache(string why, byte[] bytes, string code)
    {
        using var temp = new TempDirectory("deb");
        var deb = temp.Combine("bad.deb");
        File.WriteAllBytes(deb, bytes);
        var cache = temp.Combine("cache");

        Should.Throw<ModulusException>(() => DebUnpacker.Unpack(deb, Path.Combine(cache, "pkg"), "bad")).Code.ShouldBe(code, why);

        Directory.Exists(cache).ShouldBeTrue();
        Directory.EnumerateFileSystemEntries(cache).ShouldBeEmpty();
    }

    private static string Read(Modulus.Layers.LayerEntry entry)
    {
        using var reader = new StreamReader(((Modulus.Layers.FileEntry)entry).Content.OpenRead());
        return reader.ReadToEnd();
    }
}
