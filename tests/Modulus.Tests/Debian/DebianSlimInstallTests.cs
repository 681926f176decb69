using System.Formats.Tar;
using System.Text;
using Modulus.Debian;
using Modulus.Images;
using Modulus.Layers;
using Modulus.Oci;
using Modulus.Storage;
using Modulus.Tests.TestSupport;
using static Modulus.Tests.Debian.DebFixture;

namespace Modulus.Tests.Debian;

/// <summary>What the installer leaves out under dpkg's path filters, and how it keeps packages' hard links.</summary>
public class DebianSlimInstallTests : SignedMirrorTest
{
    private const int Private = 0b111_000_000;

    protected override string FolderPrefix => "debian-slim";

    [SetUp]
    public void AddPackages()
    {
        Mirror.Add("docs", "1.0", Build("docs", "1.0",
        [
            new("./usr/", TarEntryType.Directory, Mode: 0b111_101_101),
            new("./usr/bin/docs", Content: "run", Mode: 0b111_101_101),
            new("./usr/share/doc/docs/", TarEntryType.Directory, Mode: Private),
            new("./usr/share/doc/docs/copyright", Content: "Files: *\nLicense: MIT\n"),
            new("./usr/share/doc/docs/changelog.gz", Content: "changes"),
            new("./usr/share/doc/docs-data", TarEntryType.SymbolicLink, LinkName: "docs"),
            new("./usr/share/man/man1/docs.1.gz", Content: "manual"),
            new("./usr/share/locale/de/LC_MESSAGES/docs.mo", Content: "Hallo"),
            new("./usr/share/locale/locale.alias", Content: "german de_DE.ISO-8859-1\n"),
            new("./opt/app/", TarEntryType.Directory, Mode: Private),
            new("./opt/app/keep", Content: "kept"),
            new("./opt/app/drop", Content: "dropped"),
        ], controlMembers: new Dictionary<string, string> { ["md5sums"] = "0123  usr/share/doc/docs/changelog.gz\n" }));
        Mirror.Add("perl", "5.36", Build("perl", "5.36",
        [
            new("./usr/bin/perl5.36.0", Content: "perl interpreter", Mode: 0b111_101_101),
            new("./usr/bin/perl", TarEntryType.HardLink, LinkName: "./usr/bin/perl5.36.0", Mode: 0b111_101_101),
        ]));
        Mirror.Add("nested", "1.0", Build("nested", "1.0",
        [
            new("./srv/", TarEntryType.Directory, Mode: 0b111_101_101),
            new("./srv/a/", TarEntryType.Directory, Mode: Private, Uid: 7, Gid: 7),
            new("./srv/a/b/", TarEntryType.Directory, Mode: Private, Uid: 7, Gid: 7),
            new("./srv/a/b/c/", TarEntryType.Directory, Mode: Private, Uid: 7, Gid: 7),
            new("./srv/a/b/c/kept", Content: "kept"),
            new("./srv/a/other", Content: "dropped"),
        ]));
        Mirror.Add("merged-link", "1.0", Build("merged-link", "1.0",
        [
            new("./usr/bin/tool", Content: "tool", Mode: 0b111_101_101),
            new("./bin/tool", TarEntryType.HardLink, LinkName: "./usr/bin/tool", Mode: 0b111_101_101),
        ]));
        Mirror.Add("perl-patch", "1.0", Build("perl-patch", "1.0", [new("./usr/bin/perl5.36.0", Content: "patched", Mode: 0b111_101_101)]), "Depends: perl\n");
        Mirror.Publish();
    }

    private async Task<Dictionary<string, LayerEntry>> Install(bool slim, params DpkgPathRule[] rules) =>
        (await Install(new DebianRequest { Packages = ["docs"], Slim = slim, PathRules = rules })).Entries.ToDictionary(e => e.Path.Value);

    /// <summary>A base image whose /etc/dpkg/dpkg.cfg.d holds these files.</summary>
    private Image BaseWithDpkgConfiguration(params (string Name, string Text)[] files)
    {
        var layer = Store.WriteLayer(files.Select(f => (LayerEntry)new FileEntry(UnixPath.Parse("/etc/dpkg/dpkg.cfg.d/" + f.Name), FileContent.FromText(f.Text))).ToList(),
            LayerWriterOptions.Default);
        return ImageBuilder.Build(Image.Scratch(Platform.LinuxAmd64), [new AppendedLayer(layer, "test: dpkg.cfg.d")], new ConfigChanges(), DateTimeOffset.UnixEpoch);
    }

    [Test]
    public async Task The_base_images_own_dpkg_rules_apply_in_name_order_with_the_projects_file_in_its_place()
    {
        var baseImage = BaseWithDpkgConfiguration(
            ("docker", "path-exclude /opt/app/keep\n"),
            ("excludes", "# comment\npath-exclude=/opt/app/drop\nforce-unsafe-io\n"));

        var withoutOwn = (await Install(new DebianRequest { Packages = ["docs"], Slim = false }, baseImage)).Entries.Select(e => e.Path.Value).ToList();
        var withOwn = (await Install(new DebianRequest { Packages = ["docs"], Slim = false, PathRules = [DpkgPathRule.Exclude("/usr/bin/docs")] }, baseImage))
            .Entries.Select(e => e.Path.Value).ToList();

        withoutOwn.ShouldNotContain("/opt/app/drop", "the base's excludes file");
        withoutOwn.ShouldNotContain("/opt/app/keep", "the base's docker file, which the project does not replace");
        withOwn.ShouldNotContain("/opt/app/drop");
        withOwn.ShouldContain("/opt/app/keep", "the project's rules replace the base's docker file");
        withOwn.ShouldNotContain("/usr/bin/docs");
    }

    [Test]
    public async Task Every_folder_above_a_kept_file_keeps_the_packages_owner_and_mode()
    {
        var result = await Install(new DebianRequest
        {
            Packages = ["nested"],
            Slim = false,
            PathRules = [DpkgPathRule.Exclude("/srv/a/*"), DpkgPathRule.Include("/srv/a/b/c/*")],
        });

        var entries = result.Entries.ToDictionary(e => e.Path.Value);
        entries.Keys.ShouldNotContain("/srv/a/other");
        Read(entries["/srv/a/b/c/kept"]).ShouldBe("kept");
        foreach (var folder in new[] { "/srv/a", "/srv/a/b", "/srv/a/b/c" })
            (entries[folder].Mode, entries[folder].Uid).ShouldBe((Private, 7), folder);
    }

    [Test]
    public async Task A_hard_link_that_merged_usr_makes_the_same_path_as_its_file_is_left_out()
    {
        var result = await Install(new DebianRequest { Packages = ["merged-link"], Slim = false });

        var tool = result.Entries.Where(e => e.Path.Value == "/usr/bin/tool").ShouldHaveSingleItem();
        Read(tool).ShouldBe("tool");
        var image = ImageBuilder.Build(Image.Scratch(Platform.LinuxAmd64), [result.WriteLayer(Store, LayerWriterOptions.Default)], new ConfigChanges(), DateTimeOffset.UnixEpoch);
        Encoding.UTF8.GetString(ImageFileSystem.Read(image.Layers).ReadFile(UnixPath.Parse("/bin/tool"))!).ShouldBe("tool");
    }

    [Test]
    public async Task Slim_leaves_out_documentation_manuals_and_translations_but_keeps_copyrights_and_dpkgs_records()
    {
        var entries = await Install(slim: true);

        entries.Keys.ShouldNotContain("/usr/share/doc/docs/changelog.gz");
        entries.Keys.ShouldNotContain("/usr/share/man/man1/docs.1.gz");
        entries.Keys.ShouldNotContain("/usr/share/locale/de/LC_MESSAGES/docs.mo");
        Read(entries["/usr/share/doc/docs/copyright"]).ShouldBe("Files: *\nLicense: MIT\n");
        Read(entries["/usr/share/locale/locale.alias"]).ShouldStartWith("german");
        entries["/usr/share/doc/docs"].Mode.ShouldBe(Private, "the copyright's folder keeps the package's mode");
        entries["/usr/share/doc/docs-data"].ShouldBeOfType<SymlinkEntry>("dpkg keeps symlinks below an include pattern's folder");
        entries["/usr/bin/docs"].ShouldBeOfType<FileEntry>();
        Read(entries["/var/lib/dpkg/info/docs.list"]).ShouldContain("/usr/share/doc/docs/changelog.gz\n", customMessage: "dpkg lists the files it filtered out");
        Read(entries["/var/lib/dpkg/info/docs.md5sums"]).ShouldBe("0123  usr/share/doc/docs/changelog.gz\n");
        var configuration = Read(entries[DpkgPathFilter.ConfigurationPath]);
        configuration.ShouldContain("\npath-exclude /usr/share/doc/*\n");
        configuration.ShouldEndWith("\npath-include /usr/share/omf/*/*-C.emf\n");
    }

    [Test]
    public async Task Without_slim_or_rules_every_file_is_installed_and_dpkg_gets_no_rules()
    {
        var entries = await Install(slim: false);

        entries.Keys.ShouldContain("/usr/share/doc/docs/changelog.gz");
        entries.Keys.ShouldContain("/usr/share/man/man1/docs.1.gz");
        entries.Keys.ShouldContain("/usr/share/locale/de/LC_MESSAGES/docs.mo");
        entries.Keys.ShouldNotContain(DpkgPathFilter.ConfigurationPath);
    }

    [Test]
    public async Task The_users_rules_follow_slims_and_a_folder_holding_an_included_file_stays()
    {
        var entries = await Install(slim: true, DpkgPathRule.Include("/usr/share/man/*"), DpkgPathRule.Exclude("/opt/*"), DpkgPathRule.Include("/opt/app/keep"));

        entries.Keys.ShouldContain("/usr/share/man/man1/docs.1.gz", "the user's include comes after slim's exclude");
        entries.Keys.ShouldNotContain("/opt/app/drop");
        Read(entries["/opt/app/keep"]).ShouldBe("kept");
        entries["/opt/app"].Mode.ShouldBe(Private, "the folder of an included file keeps the package's mode");
        Read(entries[DpkgPathFilter.ConfigurationPath]).ShouldEndWith("\npath-include /usr/share/man/*\npath-exclude /opt/*\npath-include /opt/app/keep\n");
    }

    [Test]
    public async Task A_hard_link_stays_a_hard_link_in_the_layer()
    {
        var result = await Install(new DebianRequest { Packages = ["perl"] });

        result.Entries.Single(e => e.Path.Value == "/usr/bin/perl").ShouldBeOfType<HardLinkEntry>().Target.ShouldBe(UnixPath.Parse("/usr/bin/perl5.36.0"));
        var fileSystem = ReadBack(result);
        var link = fileSystem.Get(UnixPath.Parse("/usr/bin/perl5.36.0")).ShouldNotBeNull();
        link.Type.ShouldBe(NodeType.HardLink, "the name sorted last links to the one sorted first");
        link.LinkTarget.ShouldBe("/usr/bin/perl");
        Encoding.UTF8.GetString(fileSystem.ReadFile(UnixPath.Parse("/usr/bin/perl5.36.0"))!).ShouldBe("perl interpreter");
        fileSystem.Get(UnixPath.Parse("/usr/bin/perl"))!.Mode.ShouldBe(0b111_101_101);
    }

    [Test]
    public async Task A_hard_link_whose_target_a_later_package_replaces_keeps_the_original_content()
    {
        var result = await Install(new DebianRequest { Packages = ["perl-patch"] });

        var fileSystem = ReadBack(result);
        fileSystem.Get(UnixPath.Parse("/usr/bin/perl"))!.Type.ShouldBe(NodeType.File);
        Encoding.UTF8.GetString(fileSystem.ReadFile(UnixPath.Parse("/usr/bin/perl"))!).ShouldBe("perl interpreter");
        Encoding.UTF8.GetString(fileSystem.ReadFile(UnixPath.Parse("/usr/bin/perl5.36.0"))!).ShouldBe("patched");
    }

    [Test]
    public async Task A_hard_link_whose_target_is_filtered_out_gets_the_content()
    {
        var result = await Install(new DebianRequest { Packages = ["perl"], PathRules = [DpkgPathRule.Exclude("/usr/bin/perl5*")] });

        var fileSystem = ReadBack(result);
        fileSystem.Exists(UnixPath.Parse("/usr/bin/perl5.36.0")).ShouldBeFalse();
        fileSystem.Get(UnixPath.Parse("/usr/bin/perl"))!.Type.ShouldBe(NodeType.File);
        Encoding.UTF8.GetString(fileSystem.ReadFile(UnixPath.Parse("/usr/bin/perl"))!).ShouldBe("perl interpreter");
    }

    private ImageFileSystem ReadBack(DebianInstallation result) =>
        ImageFileSystem.Read([result.WriteLayer(Store, LayerWriterOptions.Default).Layer]);

    private static string Read(LayerEntry entry)
    {
        using var reader = new StreamReader(entry.ShouldBeOfType<FileEntry>().Content.OpenRead());
        return reader.ReadToEnd();
    }
}
