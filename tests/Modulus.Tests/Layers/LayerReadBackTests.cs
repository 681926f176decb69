using System.Formats.Tar;
using Modulus.Layers;
using static Modulus.Tests.Layers.LayerTestKit;
using static Modulus.Tests.Layers.LayerWriterTests;

namespace Modulus.Tests.Layers;

/// <summary>Layers read back by System.Formats.Tar, an implementation independent of ours.</summary>
public class LayerReadBackTests
{
    private static List<TarEntry> ReadBack(IEnumerable<LayerEntry> entries, LayerWriterOptions? options = null)
    {
        using var reader = new TarReader(new MemoryStream(Write(entries, options).Tar));
        var read = new List<TarEntry>();
        while (reader.GetNextEntry(copyData: true) is { } entry) read.Add(entry);
        return read;
    }

    [Test]
    public void Implied_parents_take_the_owner_and_mode_the_options_give()
    {
        var baseApp = new DirectoryEntry(P("/srv/app"), 1000, 1000, Octal("0750"));
        var options = Options with { ImpliedParent = path => path == baseApp.Path ? baseApp : null };

        var read = ReadBack([File("/srv/app/conf/a.txt", "a")], options).ToDictionary(e => e.Name);

        (read["srv/app/"].Uid, read["srv/app/"].Gid).ShouldBe((1000, 1000));
        read["srv/app/"].Mode.ShouldBe((UnixFileMode)Octal("0750"));
        (read["srv/"].Uid, read["srv/"].Mode).ShouldBe((0, (UnixFileMode)Octal("0755")), "no answer means root 0755");
        read["srv/app/conf/"].Mode.ShouldBe((UnixFileMode)Octal("0755"));
    }

    [Test]
    public void Entries_keep_their_types_owners_modes_and_targets()
    {
        var read = ReadBack(
        [
            File("/bin/su", "x", Octal("4755")),
            new DirectoryEntry(P("/srv/shared"), 0, 50, Octal("2775")),
            new DirectoryEntry(P("/tmp"), Mode: Octal("1777")),
            new SymlinkEntry(P("/bin/sh"), "busybox", 7, 8),
            new HardLinkEntry(P("/bin/sudo"), P("/bin/su")),
            File("/home/app/.profile", "export A=1\n", Octal("0600"), 1000, 1001),
        ]).ToDictionary(e => e.Name);

        read["bin/su"].EntryType.ShouldBe(TarEntryType.RegularFile);
        read["bin/su"].Mode.ShouldBe((UnixFileMode)Octal("4755"));
        read["srv/shared/"].EntryType.ShouldBe(TarEntryType.Directory);
        read["srv/shared/"].Mode.ShouldBe((UnixFileMode)Octal("2775"));
        read["srv/shared/"].Gid.ShouldBe(50);
        read["tmp/"].Mode.ShouldBe((UnixFileMode)Octal("1777"));
        read["bin/sh"].EntryType.ShouldBe(TarEntryType.SymbolicLink);
        read["bin/sh"].LinkName.ShouldBe("busybox");
        (read["bin/sh"].Uid, read["bin/sh"].Gid).ShouldBe((7, 8));
        read["bin/sudo"].EntryType.ShouldBe(TarEntryType.HardLink);
        read["bin/sudo"].LinkName.ShouldBe("bin/su");
        var profile = read["home/app/.profile"];
        (profile.Uid, profile.Gid, profile.Mode).ShouldBe((1000, 1001, (UnixFileMode)Octal("0600")));
        new StreamReader(profile.DataStream!).ReadToEnd().ShouldBe("export A=1\n");
    }

    [Test]
    public void Every_entry_has_the_options_timestamp_no_user_names_and_the_ustar_format()
    {
        var options = new LayerWriterOptions(new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero));
        var read = ReadBack([File("/a/b/c", "x"), new SymlinkEntry(P("/a/l"), "b"), new WhiteoutEntry(P("/a/gone"))], options);

        read.ShouldAllBe(e => e.ModificationTime == options.Timestamp);
        read.OfType<PosixTarEntry>().ShouldAllBe(e => e.UserName == "" && e.GroupName == "");
        read.ShouldAllBe(e => e.Format == TarEntryFormat.Ustar);
    }

    [Test]
    public void Parents_are_explicit_sorted_and_the_root_is_not_an_entry()
    {
        var read = ReadBack([File("/usr/share/doc/x/README", "r"), File("/etc/a", "a"), new DirectoryEntry(P("/usr/share"), 5, 5, Octal("0700"))]);

        read.Select(e => e.Name).ShouldBe(["etc/", "etc/a", "usr/", "usr/share/", "usr/share/doc/", "usr/share/doc/x/", "usr/share/doc/x/README"]);
        read.Where(e => e.Name is "etc/" or "usr/" or "usr/share/doc/" or "usr/share/doc/x/")
            .ShouldAllBe(e => e.Mode == (UnixFileMode)Octal("0755") && e.Uid == 0 && e.Gid == 0);
        read.Single(e => e.Name == "usr/share/").Mode.ShouldBe((UnixFileMode)Octal("0700"), "a declared parent keeps its mode");
    }

    [Test]
    public void A_whiteout_is_an_empty_root_owned_file_named_wh_in_its_parent()
    {
        var whiteout = ReadBack([new WhiteoutEntry(P("/var/lib/old"))]).Last();

        (whiteout.Name, whiteout.EntryType, whiteout.Length, whiteout.Uid, whiteout.Gid, (int)whiteout.Mode)
            .ShouldBe(("var/lib/.wh.old", TarEntryType.RegularFile, 0L, 0, 0, 0));
    }
}
