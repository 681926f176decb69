using Modulus.Diagnostics;
using Modulus.Layers;
using Modulus.Oci;
using Modulus.Pipeline;
using Modulus.Plan;
using Modulus.Publishing;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Publishing;

public class PlannedAppTests
{
    private static readonly SourceLocation Reference = new("/project/image.csproj", 5);

    private static PlannedApp App(string? destination, string? mode = null, params PlannedAppFile[] files) =>
        new("../app/app.csproj", "app", destination, PermissionMode.Parse(mode, "../app/app.csproj"), null, files, Reference);

    [TestCase("/app/", "/app", Description = "a folder keeps its path")]
    [TestCase("/", "/", Description = "the root is a folder")]
    [TestCase("/srv/./app//", "/srv/app", Description = "'.' and empty parts vanish")]
    public void A_destination_folder_is_absolute_and_ends_in_a_slash(string destination, string folder) =>
        App(destination).DestinationFolder().Value.ShouldBe(folder);

    [TestCase("app/", "start and end with '/'", Description = "relative")]
    [TestCase("/app", "start and end with '/'", Description = "a file path, not a folder")]
    [TestCase("", "start and end with '/'", Description = "empty")]
    [TestCase("/../", "climbs above the root", Description = "above the root")]
    [TestCase("/a\\b/", "backslash", Description = "a Windows separator")]
    public void Any_other_destination_is_MOD5041_naming_it_and_the_reference(string destination, string reason)
    {
        var error = Should.Throw<ModulusException>(() => App(destination).Validate());

        error.Code.ShouldBe("MOD5041");
        error.Message.ShouldContain($"'{destination}'");
        error.Message.ShouldContain("../app/app.csproj");
        error.Message.ShouldContain(reason);
    }

    [TestCase(null, false, 0b110_100_100, Description = "a file: 0644")]
    [TestCase(null, true, 0b111_101_101, Description = "an executable: 0755")]
    [TestCase("0640", true, 0b111_101_000, Description = "execute where Mode grants read")]
    [TestCase("0600", false, 0b110_000_000, Description = "Mode as written for a file")]
    public void Executables_get_execute_wherever_the_mode_grants_read(string? mode, bool executable, int expected) =>
        App("/app/", mode).FileMode(new PlannedAppFile("/x", "x", executable)).ShouldBe(expected);

    [Test]
    [Platform(Exclude = "Win", Reason = "Windows files have no execute bit")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void The_apps_files_go_below_the_destination_keeping_subfolders_and_the_execute_bit()
    {
        using var folder = new TempDirectory("app");
        var dll = folder.Combine("app.dll");
        var host = folder.Combine("app");
        var native = folder.Combine("libnative.so");
        File.WriteAllText(dll, "dll");
        File.WriteAllText(host, "elf");
        File.WriteAllText(native, "so");
        File.SetUnixFileMode(host, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var app = App("/app/", null,
            PlannedAppFile.Published(dll, "app.dll", isAppHost: false),
            PlannedAppFile.Published(host, "app", isAppHost: true),
            PlannedAppFile.Published(native, "runtimes/linux-x64/native/libnative.so", isAppHost: false));

        var layers = LayerPlanner.Layers(Plan(app), accounts: null);

        layers.Files.ShouldBeEmpty();
        var entries = layers.Apps.Single().Entries.Cast<FileEntry>().ToDictionary(e => e.Path.Value, e => e.Mode);
        entries.ShouldBe(new Dictionary<string, int>
        {
            ["/app/app.dll"] = 0b110_100_100,
            ["/app/app"] = 0b111_101_101,
            ["/app/runtimes/linux-x64/native/libnative.so"] = 0b110_100_100,
        });
    }

    [Test]
    public void A_path_the_app_shares_with_a_project_file_is_MOD5006_naming_both()
    {
        using var folder = new TempDirectory("app");
        var dll = folder.Combine("app.dll");
        File.WriteAllText(dll, "dll");
        var plan = Plan(App("/app/", null, PlannedAppFile.Published(dll, "app.dll", isAppHost: false))) with
        {
            Files = [new PlannedFile("/app/app.dll", null, "text", null, "/app/app.dll", null, null, new SourceLocation("/project/image.csproj", 9))],
        };

        var error = Should.Throw<ModulusException>(() => LayerPlanner.Validate(plan));

        error.Code.ShouldBe("MOD5006");
        error.Message.ShouldContain("image.csproj:9");
        error.Message.ShouldContain("ProjectReference '../app/app.csproj' (/project/image.csproj:5)");
    }

    [Test]
    public void A_published_file_that_is_gone_is_MOD5042_at_the_reference()
    {
        var plan = Plan(App("/app/", null, new PlannedAppFile("/nowhere/app.dll", "app.dll", Executable: false)));

        var error = Should.Throw<ModulusException>(() => LayerPlanner.Validate(plan));

        error.Code.ShouldBe("MOD5042");
        (error.File, error.Line).ShouldBe(("/project/image.csproj", 5));
    }

    [Test]
    public void A_changed_published_file_changes_the_fingerprint()
    {
        using var folder = new TempDirectory("app");
        var dll = folder.Combine("app.dll");
        File.WriteAllText(dll, "dll");
        var plan = Plan(App("/app/", null, PlannedAppFile.Published(dll, "app.dll", isAppHost: false)));
        var before = PlanFingerprint.Compute(plan);

        File.WriteAllText(dll, "dll, rebuilt");

        PlanFingerprint.Compute(plan).ShouldNotBe(before);
    }

    [Test]
    public void A_published_file_is_compared_by_content_not_by_its_time_or_size()
    {
        using var folder = new TempDirectory("app");
        var dll = folder.Combine("app.dll");
        File.WriteAllText(dll, "dll one");
        var plan = Plan(App("/app/", null, PlannedAppFile.Published(dll, "app.dll", isAppHost: false)));
        var before = PlanFingerprint.Compute(plan);

        File.WriteAllText(dll, "dll one");
        File.SetLastWriteTimeUtc(dll, DateTime.UtcNow.AddHours(1));
        var rewritten = PlanFingerprint.Compute(plan);
        File.WriteAllText(dll, "dll two");
        File.SetLastWriteTimeUtc(dll, File.GetLastWriteTimeUtc(dll).AddHours(1));

        rewritten.ShouldBe(before, "the same bytes written again by the app's build");
        PlanFingerprint.Compute(plan).ShouldNotBe(before, "other bytes of the same length");
    }

    private static ImagePlan Plan(PlannedApp app) => new()
    {
        BaseImage = Modulus.Sources.BaseImageSource.Scratch,
        ProjectDirectory = "/project",
        Platform = Platform.LinuxAmd64,
        Apps = [app],
        Repository = "sample",
        Tags = ["latest"],
        OutputDirectory = "/project/publish",
        IntermediateDirectory = "/project/obj",
        BlobCacheDirectory = "/cache",
    };
}
