using System.Text.Json;
using System.Text.Json.Nodes;
using Modulus.Contract;
using Modulus.Images;
using Modulus.Layers;
using Modulus.Oci;
using Modulus.Report;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Report;

/// <summary>
/// What image.html shows, gathered from a small image made of in-memory layers: layers with their
/// history, the folder tree with small files grouped, the Debian package owning each file through
/// dpkg's lists (a link in the path honoured), the largest files, the checks' verdicts, and the
/// page itself: one file, nothing fetched, its data safe from a hostile label.
/// </summary>
public class ImageContentsTests
{
    private const string Status = """
        Package: libfoo1
        Status: install ok installed
        Architecture: amd64
        Version: 1.2-3
        Installed-Size: 2048
        Description: foo

        Package: removed
        Status: deinstall ok config-files
        Architecture: amd64
        Version: 9
        Description: gone

        Package: tzdata
        Status: install ok installed
        Architecture: all
        Version: 2024a-0
        Installed-Size: 100
        Description: zones

        """;

    private const string FooList = "/.\n/lib\n/lib/libfoo.so.1\n";
    private const string TzList = "/.\n/usr/share/zoneinfo/UTC\n";

    private static (Image Image, ImageFileSystem View) SmallImage()
    {
        var baseLayer = TarLayer.Of(
            TarLayer.Symlink("lib", "usr/lib"),
            TarLayer.Directory("usr/lib"),
            TarLayer.File("usr/lib/libfoo.so.1", new byte[300_000]),
            TarLayer.File("usr/share/zoneinfo/UTC", "TZif"),
            TarLayer.File("var/lib/dpkg/status", Status),
            TarLayer.File("var/lib/dpkg/info/libfoo1:amd64.list", FooList),
            TarLayer.File("var/lib/dpkg/info/tzdata.list", TzList));
        var many = Enumerable.Range(0, 3000).Select(i => TarLayer.File($"app/node_modules/m{i:D4}/index.js", new string('x', 10))).ToArray();
        var appLayer = TarLayer.Of([TarLayer.File("app/big.bin", new byte[1_000_000]), .. many]);
        var config = ImageConfig.Empty(Platform.LinuxAmd64).With(root =>
        {
            root["config"] = new JsonObject { ["User"] = "mop", ["Env"] = new JsonArray("PATH=/usr/bin", "X=</script><b>"), ["Cmd"] = new JsonArray("/sbin/my_init") };
            root["history"] = new JsonArray(
                new JsonObject { ["created_by"] = "the base" },
                new JsonObject { ["created_by"] = "Modulus: config", ["empty_layer"] = true },
                new JsonObject { ["created_by"] = "Modulus: app web" });
        });
        var image = new Image(config, [baseLayer, appLayer]);
        return (image, ImageFileSystem.Read(image.Layers, DpkgOwners.IsFileList));
    }

    private static PlatformContents Contents(IReadOnlyList<ContractDiagnostic>? findings = null, bool startChecked = false)
    {
        var (image, view) = SmallImage();
        return PlatformContentsReader.Read(image, view, "example/base:1", baseLayers: 1, "sha256:" + new string('a', 64), findings ?? [], startChecked);
    }

    [Test]
    public void Each_layer_has_what_made_it_its_sizes_and_its_entries()
    {
        var (image, _) = SmallImage();
        var layers = Contents().Layers;
        layers.Select(l => l.Kind).ShouldBe([LayerKinds.Base, LayerKinds.App]);
        layers.Select(l => l.CreatedBy).ShouldBe(["the base", "Modulus: app web"], "the config's empty-layer history line belongs to no layer");
        layers.Select(l => l.Digest).ShouldBe(image.Layers.Select(l => l.Digest.ToString()));
        layers[1].Size.ShouldBe(image.Layers[1].Size);
        layers[1].FileBytes.ShouldBe(1_000_000 + 3000 * 10);
        layers[0].Entries.ShouldBe(7);
    }

    [Test]
    public void A_build_image_lists_the_build_standards_checks_not_the_run_standards()
    {
        var rows = StandardChecks.Rows([], startChecked: false, build: true).Select(r => r.Check).ToArray();

        rows.ShouldContain("build is on PATH");
        rows.ShouldContain("mop can write only under the volume");
        rows.ShouldNotContain("start is on PATH");
        rows.ShouldNotContain("supervisord is in the image");
    }

    [Test]
    public void The_tree_keeps_large_files_and_groups_small_ones_per_folder()
    {
        var tree = Contents().Tree;
        tree.Size.ShouldBe(300_000 + 4 + Status.Length + FooList.Length + TzList.Length + 1_000_000 + 30_000);
        tree.Files.ShouldBe(3006);
        var app = tree.Children!.Single(c => c.Name == "app");
        app.Children!.ShouldContain(c => c.Name == "big.bin" && c.Size == 1_000_000 && c.Layer == 1 && c.Children == null);
        // 3000 files of 10 bytes are each far below 1/4000 of the image: one grouped leaf for the lot.
        var modules = app.Children!.Single(c => c.Name == "node_modules");
        modules.Children!.ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            g => g.Grouped.ShouldBeTrue(),
            g => g.Files.ShouldBe(3000),
            g => g.Size.ShouldBe(30_000));
        Count(tree).ShouldBeLessThan(20);
    }

    [Test]
    public void Files_are_owned_by_the_package_whose_list_names_them_through_links()
    {
        var contents = Contents();
        var lib = contents.Tree.Children!.Single(c => c.Name == "usr").Children!.Single(c => c.Name == "lib").Children!.Single(c => c.Name == "libfoo.so.1");
        contents.PackageNames[lib.Package].ShouldBe("libfoo1", "libfoo1 lists /lib/libfoo.so.1, and /lib links to usr/lib");
        contents.Largest.Select(f => (f.Path, f.Package)).Take(2).ShouldBe([("/app/big.bin", (string?)null), ("/usr/lib/libfoo.so.1", "libfoo1")]);
        contents.Packages.ShouldBe([new InstalledDebianPackage("libfoo1", "1.2-3", "amd64", 2048), new InstalledDebianPackage("tzdata", "2024a-0", "all", 100)],
            "a package dpkg removed is not installed");
    }

    [Test]
    public void Checks_give_every_rule_its_verdict_code_and_paths()
    {
        var finding = new ContractDiagnostic(ContractRules.WritableByMop.Error, ContractSeverity.Error, "mop can write /srv", [UnixPath.Parse("/srv")]);
        var warning = new ContractDiagnostic(ContractRules.SetuidFile.Error, ContractSeverity.Warning, "setuid /bin/su", [UnixPath.Parse("/bin/su")]);
        var checks = Contents([finding, warning]).Checks!;
        checks.Count.ShouldBe(ContractRules.All.Count);
        checks.Single(c => c.Code == "MOD4010").ShouldSatisfyAllConditions(
            c => c.Verdict.ShouldBe("error"), c => c.Paths.ShouldBe(["/srv"]), c => c.Message.ShouldBe("mop can write /srv"));
        checks.Single(c => c.Code == "MOD4012").Verdict.ShouldBe("warning");
        checks.Single(c => c.Code == "MOD4001").Verdict.ShouldBe("pass");
        checks.Single(c => c.Code == "MOD4090").Verdict.ShouldBe("not checked", "the project declared no start of its own");
        Contents([], startChecked: true).Checks!.Single(c => c.Code == "MOD4090").Verdict.ShouldBe("pass");
    }

    [Test]
    public void An_image_that_is_not_checked_has_no_checks()
    {
        var (image, view) = SmallImage();
        PlatformContentsReader.Read(image, view, "scratch", 0, null, findings: null, startChecked: false).Checks.ShouldBeNull();
    }

    [Test]
    public void The_page_is_one_file_that_fetches_nothing_and_holds_the_contents_safely()
    {
        var contents = new ImageContents("example/web:1", null, [Contents()]);
        var page = ReportPage.Render(contents);
        page.ShouldNotContain("/*DATA*/");
        page.ShouldNotContain("src=\"http", Case.Insensitive);
        page.ShouldNotContain("href=\"http", Case.Insensitive);
        page.ShouldNotContain("@import");
        page.ShouldNotContain("</script><b>", Case.Sensitive, "a value must not end the data block");
        var start = page.IndexOf("id=\"data\">", StringComparison.Ordinal) + "id=\"data\">".Length;
        var json = page[start..page.IndexOf("</script>", start, StringComparison.Ordinal)];
        var back = JsonSerializer.Deserialize<ImageContents>(json)!;
        back.Platforms[0].Config.Env.ShouldContain("X=</script><b>");
        back.Platforms[0].Layers.ShouldBe(contents.Platforms[0].Layers);
    }

    [TestCase("Modulus: Debian packages libatomic1", LayerKinds.Debian)]
    [TestCase("Modulus: Node.js 24.22.3 with npm 11.6.2", LayerKinds.Node)]
    [TestCase("Modulus: npm packages", LayerKinds.Npm)]
    [TestCase("Modulus: .NET 10.0.1 (Microsoft.NETCore.App)", LayerKinds.DotNet)]
    [TestCase("Modulus: the dotnet muxer", LayerKinds.DotNet)]
    [TestCase("Modulus: run-image contract", LayerKinds.Contract)]
    [TestCase("Modulus: build-image contract", LayerKinds.Contract)]
    [TestCase("Modulus: files of the project", LayerKinds.Files)]
    [TestCase("Modulus: app web", LayerKinds.App)]
    [TestCase("/bin/sh -c apt-get install", LayerKinds.Other)]
    public void A_layer_is_named_by_the_history_line_its_step_wrote(string createdBy, string kind) =>
        Modulus.Pipeline.LayerHistory.KindOf(createdBy).ShouldBe(kind);

    private static int Count(FolderNode node) => 1 + (node.Children?.Sum(Count) ?? 0);
}
