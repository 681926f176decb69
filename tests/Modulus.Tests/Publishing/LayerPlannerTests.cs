using Modulus.Diagnostics;
using Modulus.Layers;
using Modulus.Oci;
using Modulus.Pipeline;
using Modulus.Plan;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Publishing;

public class LayerPlannerTests
{
    private static readonly SourceLocation First = new("/project/app.csproj", 7);
    private static readonly SourceLocation Second = new("/project/app.csproj", 9);

    private static ImagePlan Plan(params PlannedFile[] files) => new()
    {
        BaseImage = Modulus.Sources.BaseImageSource.Scratch,
        ProjectDirectory = "/project",
        Platform = Platform.LinuxAmd64,
        Files = files,
        Repository = "sample",
        Tags = ["latest"],
        OutputDirectory = "/project/publish",
        IntermediateDirectory = "/project/obj",
        BlobCacheDirectory = "/cache",
    };

    private static PlannedFile Inline(string path, SourceLocation location, string? mode = null, string? owner = null) =>
        new(path, null, "text", null, path, PermissionMode.Parse(mode, path), owner is null ? null : OwnerSpec.Parse(owner, path), location);

    [Test]
    public void A_file_that_another_declaration_puts_something_below_fails_with_MOD5023_naming_both()
    {
        var plan = Plan(Inline("/etc/app", First), Inline("/etc/app/x.conf", Second));

        var error = Should.Throw<ModulusException>(() => LayerPlanner.Entries(plan, accounts: null));

        error.Code.ShouldBe("MOD5023");
        error.Message.ShouldContain("'/etc/app'");
        error.Message.ShouldContain(First.ToString());
        error.Message.ShouldContain(Second.ToString());
    }

    [Test]
    public void An_app_folder_where_the_project_has_a_file_fails_with_MOD5023_across_layers()
    {
        using var temp = new TempDirectory("planner");
        var dll = temp.WriteFile("publish/app.dll", "dll");
        var app = new PlannedApp("../app/app.csproj", "app", "/srv/app/", null, null, [new PlannedAppFile(dll, "app.dll", false)], Second);
        var plan = Plan(Inline("/srv/app", First)) with { Apps = [app] };

        var error = Should.Throw<ModulusException>(() => LayerPlanner.Layers(plan, accounts: null));

        error.Code.ShouldBe("MOD5023");
        error.Message.ShouldContain("'/srv/app/app.dll'");
    }

    [Test]
    public void An_app_published_per_platform_is_declared_per_platform_and_each_image_gets_its_own_files()
    {
        using var temp = new TempDirectory("planner");
        var x64 = temp.WriteFile("publish/linux-x64/app", "x64 apphost");
        var arm64 = temp.WriteFile("publish/linux-arm64/app", "arm64 apphost");
        var app = new PlannedApp("../app/app.csproj", "app", "/srv/app/", null, null,
            [new PlannedAppFile(x64, "app", true, "linux-x64"), new PlannedAppFile(arm64, "app", true, "linux-arm64")], Second);
        var plan = Plan() with { Apps = [app], Platforms = [Platform.LinuxAmd64, Platform.Parse("linux/arm64")] };

        var declared = LayerPlanner.Declare(plan);

        string Apphost(Platform platform) =>
            ((FileEntry)declared.ForPlatform(platform).Resolve(accounts: null).Apps.Single().Entries.Single()).Content.Describe();
        Apphost(Platform.LinuxAmd64).ShouldContain("linux-x64");
        Apphost(Platform.Parse("linux/arm64/v8")).ShouldContain("linux-arm64");
    }

    [Test]
    public void An_app_published_per_platform_in_an_image_with_a_platform_dotnet_has_no_identifier_for_fails_with_MOD5049()
    {
        using var temp = new TempDirectory("planner");
        var x64 = temp.WriteFile("publish/linux-x64/app.dll", "dll");
        var app = new PlannedApp("../app/app.csproj", "app", "/srv/app/", null, null, [new PlannedAppFile(x64, "app.dll", false, "linux-x64")], Second);
        var plan = Plan() with { Apps = [app], Platforms = [Platform.LinuxAmd64, Platform.Parse("linux/s390x")] };

        var error = Should.Throw<ModulusException>(() => LayerPlanner.Declare(plan));

        error.Code.ShouldBe("MOD5049");
        error.Message.ShouldContain("linux/s390x");
        (error.File, error.Line).ShouldBe((Second.File, Second.Line));
    }

    [Test]
    public void Every_bad_declaration_is_recorded_at_its_item_and_a_failed_one_causes_no_follow_up_error()
    {
        var third = new SourceLocation("/project/app.csproj", 11);
        var fourth = new SourceLocation("/project/app.csproj", 13);
        var fifth = new SourceLocation("/project/app.csproj", 15);
        var plan = Plan(
            Inline("/etc/motd", First),
            Inline("/etc/motd", Second),
            new PlannedFile("missing.txt", "/project/missing.txt", null, "/srv/", "missing.txt", null, null, third)) with
        {
            // Below the missing file's destination: had the missing file been declared, this would be MOD5023.
            Symlinks =
            [
                new PlannedSymlink("/srv/missing.txt/link", UnixPath.Parse("/srv/missing.txt/link"), "motd", null, fourth),
                new PlannedSymlink("/etc/issue", UnixPath.Parse("/etc/issue"), " ", null, fifth),
            ],
        };
        var errors = new InputErrors();

        LayerPlanner.Declare(plan, errors);

        errors.All.Select(e => (e.Code, e.Location)).ShouldBe(new[] { ("MOD5006", Second), ("MOD5002", third), ("MOD5012", fifth) });
    }

    [Test]
    [CancelAfter(30_000)]
    public void A_ModulusFile_of_a_device_or_a_fifo_is_MOD5070_at_its_item_and_never_read()
    {
        using var temp = new TempDirectory("planner");
        Bounded.MakeFifo(temp.Combine("pipe"));
        File.CreateSymbolicLink(temp.Combine("zero-link"), "/dev/zero");
        var third = new SourceLocation("/project/app.csproj", 11);
        var plan = Plan(
            new PlannedFile("/dev/zero", "/dev/zero", null, "/srv/zero", "zero", null, null, First),
            new PlannedFile("pipe", temp.Combine("pipe"), null, "/srv/pipe", "pipe", null, null, Second),
            new PlannedFile("zero-link", temp.Combine("zero-link"), null, "/srv/link", "zero-link", null, null, third));
        var errors = new InputErrors();

        Bounded.Within(TimeSpan.FromSeconds(10), () => LayerPlanner.Declare(plan, errors));

        errors.All.Select(e => (e.Code, e.Location)).ShouldBe(new[] { ("MOD5070", First), ("MOD5070", Second), ("MOD5070", third) });
        errors.All[0].Text.ShouldContain("a character device");
        errors.All[1].Text.ShouldContain("a FIFO");
    }

    [Test]
    public void A_ModulusFile_naming_a_folder_fails_with_MOD5090_saying_how_to_take_its_files()
    {
        using var temp = new TempDirectory("planner");
        temp.WriteFile("wwwroot/index.html", "<html/>");
        var folder = new PlannedFile("wwwroot", temp.Combine("wwwroot"), null, "/app/wwwroot/", "wwwroot", null, null, First);

        var error = Should.Throw<ModulusException>(() => LayerPlanner.Entries(Plan(folder), accounts: null));

        error.Code.ShouldBe("MOD5090");
        error.Message.ShouldContain("'wwwroot' is a folder");
        error.Message.ShouldContain("Include=\"wwwroot/**\"");
    }

    [Test]
    public void Declarations_become_entries_with_their_modes_and_owners()
    {
        var plan = Plan(Inline("/etc/motd", First, mode: "0600", owner: "1000:1001")) with
        {
            Directories = [new PlannedDirectory("/var/lib/app", UnixPath.Parse("/var/lib/app"), PermissionMode.Parse("0750", "/var/lib/app"), OwnerSpec.Parse("5", "/var/lib/app"), Second)],
            Symlinks = [new PlannedSymlink("/etc/issue", UnixPath.Parse("/etc/issue"), "motd", null, Second)],
        };

        var entries = LayerPlanner.Entries(plan, accounts: null);

        entries.Count.ShouldBe(3);
        var file = entries.OfType<FileEntry>().Single();
        (file.Path.Value, file.Mode, file.Uid, file.Gid).ShouldBe(("/etc/motd", 0b110_000_000, 1000, 1001));
        var directory = entries.OfType<DirectoryEntry>().Single();
        (directory.Mode, directory.Uid, directory.Gid).ShouldBe((0b111_101_000, 5, 5));
        entries.OfType<SymlinkEntry>().Single().Target.ShouldBe("motd");
    }

    [Test]
    public void A_path_declared_twice_names_both_declarations()
    {
        var error = Should.Throw<ModulusException>(() => LayerPlanner.Validate(Plan(Inline("/etc/motd", First), Inline("/etc/motd", Second))));

        error.Code.ShouldBe("MOD5006");
        error.Message.ShouldContain("app.csproj:7");
        error.Message.ShouldContain("app.csproj:9");
    }

    [Test]
    public void An_error_points_at_the_item_that_caused_it()
    {
        var plan = Plan(Inline("/etc/motd", First)) with { Symlinks = [new PlannedSymlink("/etc/issue", UnixPath.Parse("/etc/issue"), null, null, Second)] };

        var error = Should.Throw<ModulusException>(() => LayerPlanner.Validate(plan));

        error.Code.ShouldBe("MOD5012");
        (error.File, error.Line).ShouldBe(("/project/app.csproj", 9));
    }

    [Test]
    public void A_missing_source_file_fails_with_MOD5002()
    {
        using var temp = new TempDirectory();
        var missing = temp.Combine("missing.txt");

        var error = Should.Throw<ModulusException>(() =>
            LayerPlanner.Validate(Plan(new PlannedFile("missing.txt", missing, null, "/srv/", "missing.txt", null, null, First))));

        error.Code.ShouldBe("MOD5002");
        error.Message.ShouldContain(missing);
    }

    [Test]
    public void A_symlink_needs_a_LinkTarget()
    {
        var plan = Plan() with { Symlinks = [new PlannedSymlink("/srv/link", UnixPath.Parse("/srv/link"), null, null, First)] };

        Should.Throw<ModulusException>(() => LayerPlanner.Validate(plan)).Code.ShouldBe("MOD5012");
    }
}
