using Modulus.Tests.TestSupport;

namespace Modulus.Tests.DotNet;

/// <summary>
/// images/dotnet/start (a copy whose app folder is rewritten, <see cref="ScriptCopy"/>), run with
/// python3 against app folders and a fake .NET root: its shared
/// framework folders are empty version folders, and its `dotnet` prints its arguments, working
/// directory, stdin and the Kestrel variables instead of running anything.
/// </summary>
public class StartScriptTests
{
    private static readonly string[] NetCore = ["8.0.5", "10.0.1", "10.0.12", "10.2.0", "11.0.0-rc.2", "11.0.0"];
    private static readonly string[] AspNetCore = ["10.0.12", "11.0.0"];

    private TempDirectory _temp = null!;

    private string App => _temp.Combine("app");

    private string Root => _temp.Combine("dotnet");

    [SetUp]
    public void SetUp()
    {
        _temp = new TempDirectory("dotnet-start");
        Directory.CreateDirectory(App);
        foreach (var version in NetCore) Directory.CreateDirectory(Path.Combine(Root, "shared", "Microsoft.NETCore.App", version));
        foreach (var version in AspNetCore)
        {
            // As in a real install, ASP.NET Core's own runtimeconfig asks for Microsoft.NETCore.App of its version.
            _temp.WriteFile($"dotnet/shared/Microsoft.AspNetCore.App/{version}/Microsoft.AspNetCore.App.runtimeconfig.json",
                $$"""{ "runtimeOptions": { "framework": { "name": "Microsoft.NETCore.App", "version": "{{version}}" }, "rollForward": "LatestPatch" } }""");
        }
        var dotnet = _temp.WriteFile("dotnet/dotnet",
            "#!/bin/sh\necho \"dotnet $*\"\necho \"cwd $(pwd)\"\necho \"stdin $(readlink /proc/self/fd/0)\"\necho \"ports ${ASPNETCORE_HTTP_PORTS:-unset} urls ${ASPNETCORE_URLS:-unset}\"\n");
        Tools.RunChecked("chmod", ["755", dotnet]);
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private Tools.Result Start(Dictionary<string, string?>? environment = null)
    {
        var start = ScriptCopy.Write(RepoPaths.Combine("images", "dotnet", "start"), _temp.Combine("bin", "start"), ("APP_ROOT", App));
        var env = new Dictionary<string, string?>
        {
            ["DOTNET_ROOT"] = Root,
            ["PORT"] = "8080",
            ["ASPNETCORE_HTTP_PORTS"] = null,
            ["ASPNETCORE_URLS"] = null,
            ["MODULUS_DOTNET_APP"] = null,
            ["DOTNET_ROLL_FORWARD"] = null,
            ["DOTNET_ROLL_FORWARD_ON_NO_CANDIDATE_FX"] = null,
        };
        foreach (var (k, v) in environment ?? []) env[k] = v;
        return Tools.Run(Tools.Require("python3"), [start], environment: env);
    }

    private void WriteApp(string folder, string name, string frameworks, string options = "")
    {
        _temp.WriteFile($"app/{folder}/{name}.runtimeconfig.json", $$"""{ "runtimeOptions": { {{options}}"frameworks": [ {{frameworks}} ] } }""");
        _temp.WriteFile($"app/{folder}/{name}.dll", "");
    }

    private static string Framework(string name, string version, string extra = "") =>
        $$"""{ "name": "{{name}}", "version": "{{version}}"{{extra}} }""";

    [Test]
    public void The_script_is_python3_and_executable()
    {
        var path = RepoPaths.Combine("images", "dotnet", "start");
        File.ReadLines(path).First().ShouldBe("#!/usr/bin/python3");
        if (OperatingSystem.IsLinux()) File.GetUnixFileMode(path).HasFlag(UnixFileMode.OtherExecute).ShouldBeTrue();
    }

    [Test]
    public void The_shallowest_app_runs_from_its_own_folder_with_dotnet_on_PORT_and_no_stdin()
    {
        WriteApp("publish", "web", Framework("Microsoft.AspNetCore.App", "10.0.0"));
        WriteApp("publish/tools", "tool", Framework("Microsoft.NETCore.App", "10.0.0"));
        _temp.WriteFile("app/.git/hooks/hook.runtimeconfig.json", "{}");

        var result = Start();

        result.ExitCode.ShouldBe(0, result.ToString());
        var folder = Path.Combine(App, "publish");
        result.StdOut.ShouldBe(
            $"start: .NET app web.dll in {folder} on Microsoft.AspNetCore.App 10.0.12, Microsoft.NETCore.App 10.0.12: {Root}/dotnet web.dll\n"
            + $"dotnet web.dll\ncwd {folder}\nstdin /dev/null\nports 8080 urls unset\n", result.ToString());
        result.StdErr.ShouldBeEmpty(result.ToString());
    }

    public static IEnumerable<TestCaseData> RollForward()
    {
        yield return new TestCaseData("10.0.0", "", "10.0.12").SetName("Minor (the default) takes the newest patch of the wanted minor");
        yield return new TestCaseData("10.1.0", "", "10.2.0").SetName("Minor rolls to the lowest higher minor when the wanted one is missing");
        yield return new TestCaseData("9.0.0", "", null).SetName("Minor never rolls to another major");
        yield return new TestCaseData("10.0.0", ", \"rollForward\": \"LatestMinor\"", "10.2.0").SetName("LatestMinor takes the newest of the major");
        yield return new TestCaseData("9.0.0", ", \"rollForward\": \"Major\"", "10.0.12").SetName("Major rolls to the lowest higher major, newest patch of its lowest minor");
        yield return new TestCaseData("10.0.0", ", \"rollForward\": \"LatestMajor\"", "11.0.0").SetName("LatestMajor takes the newest release, not a pre-release");
        yield return new TestCaseData("10.0.1", ", \"rollForward\": \"Disable\"", "10.0.1").SetName("Disable takes the exact version");
        yield return new TestCaseData("10.0.2", ", \"rollForward\": \"Disable\"", null).SetName("Disable fails without the exact version");
        yield return new TestCaseData("10.0.13", ", \"rollForward\": \"LatestPatch\"", null).SetName("LatestPatch fails without a patch at least as high");
        yield return new TestCaseData("11.0.0-rc.1", "", "11.0.0").SetName("A wanted pre-release may roll to the release");
    }

    [TestCaseSource(nameof(RollForward))]
    public void Frameworks_resolve_as_the_host_resolves_them(string wanted, string extra, string? chosen)
    {
        WriteApp("", "app", Framework("Microsoft.NETCore.App", wanted, extra));

        var result = Start();

        if (chosen is null)
        {
            result.ExitCode.ShouldBe(1, result.ToString());
            result.StdErr.ShouldStartWith($"ERROR: the app needs Microsoft.NETCore.App {wanted} (rollForward ", Case.Sensitive, result.ToString());
            result.StdErr.Trim().ShouldEndWith("which is not in this image; available versions: 8.0.5, 10.0.1, 10.0.12, 10.2.0, 11.0.0-rc.2, 11.0.0", Case.Sensitive, result.ToString());
        }
        else
        {
            result.ExitCode.ShouldBe(0, result.ToString());
            result.StdOut.ShouldContain($" on Microsoft.NETCore.App {chosen}: ", Case.Sensitive, result.ToString());
        }
    }

    [Test]
    public void DOTNET_ROLL_FORWARD_wins_over_the_runtimeconfig_as_in_the_host()
    {
        WriteApp("", "app", Framework("Microsoft.NETCore.App", "10.0.0", ", \"rollForward\": \"Disable\""));

        var result = Start(new() { ["DOTNET_ROLL_FORWARD"] = "LatestMajor" });

        result.StdOut.ShouldContain(" on Microsoft.NETCore.App 11.0.0: ", Case.Sensitive, result.ToString());
    }

    [Test]
    public void ASP_NET_Cores_own_reference_to_NETCore_is_checked_too()
    {
        Directory.Delete(Path.Combine(Root, "shared", "Microsoft.NETCore.App", "10.0.12"));
        WriteApp("", "web", Framework("Microsoft.AspNetCore.App", "10.0.0"));

        var result = Start();

        result.ExitCode.ShouldBe(1, result.ToString());
        result.StdErr.ShouldStartWith("ERROR: the app needs Microsoft.NETCore.App 10.0.12 (rollForward LatestPatch, from " + Path.Combine(Root, "shared", "Microsoft.AspNetCore.App", "10.0.12", "Microsoft.AspNetCore.App.runtimeconfig.json"), Case.Sensitive, result.ToString());
    }

    [Test]
    public void MODULUS_DOTNET_APP_chooses_the_app()
    {
        WriteApp("a", "first", Framework("Microsoft.NETCore.App", "10.0.0"));
        WriteApp("b/deeper", "second", Framework("Microsoft.NETCore.App", "11.0.0"));

        var result = Start(new() { ["MODULUS_DOTNET_APP"] = "b/deeper/second.dll" });

        result.ExitCode.ShouldBe(0, result.ToString());
        result.StdOut.ShouldContain($"dotnet second.dll\ncwd {Path.Combine(App, "b", "deeper")}\n", Case.Sensitive, result.ToString());
    }

    [Test]
    public void ASPNETCORE_URLS_set_by_the_platform_is_left_alone_with_a_warning()
    {
        WriteApp("", "web", Framework("Microsoft.AspNetCore.App", "10.0.0"));

        var result = Start(new() { ["ASPNETCORE_URLS"] = "http://+:9000" });

        result.StdOut.ShouldContain("ports unset urls http://+:9000", Case.Sensitive, result.ToString());
        result.StdErr.Trim().ShouldBe("WARNING: ASPNETCORE_URLS is set (http://+:9000): Kestrel listens there, not on PORT 8080", result.ToString());
    }

    [Test]
    public void Without_PORT_start_warns_and_keeps_the_images_port()
    {
        WriteApp("", "web", Framework("Microsoft.AspNetCore.App", "10.0.0"));

        var result = Start(new() { ["PORT"] = null, ["ASPNETCORE_HTTP_PORTS"] = "8080" });

        result.StdOut.ShouldContain("ports 8080 urls unset", Case.Sensitive, result.ToString());
        result.StdErr.Trim().ShouldBe("WARNING: PORT is not set; Kestrel listens on ASPNETCORE_HTTP_PORTS (8080)", result.ToString());
    }

    [Test]
    public void Two_apps_in_one_folder_run_the_first_by_name_with_a_warning()
    {
        WriteApp("", "b", Framework("Microsoft.NETCore.App", "10.0.0"));
        WriteApp("", "a", Framework("Microsoft.NETCore.App", "10.0.0"));

        var result = Start();

        result.StdOut.ShouldContain("dotnet a.dll", Case.Sensitive, result.ToString());
        result.StdErr.ShouldContain("WARNING: ", Case.Sensitive, result.ToString());
    }

    [Test]
    public void A_runtimeconfig_without_its_assembly_is_an_error()
    {
        _temp.WriteFile("app/web.runtimeconfig.json", """{ "runtimeOptions": { "framework": { "name": "Microsoft.NETCore.App", "version": "10.0.0" } } }""");

        var result = Start();

        result.ExitCode.ShouldBe(1, result.ToString());
        result.StdErr.Trim().ShouldBe($"ERROR: {Path.Combine(App, "web.runtimeconfig.json")} has no web.dll beside it: the app's main assembly is missing", result.ToString());
    }

    [Test]
    public void A_self_contained_app_runs_its_own_executable()
    {
        _temp.WriteFile("app/web.runtimeconfig.json", """{ "runtimeOptions": { "tfm": "net10.0", "includedFrameworks": [ { "name": "Microsoft.NETCore.App", "version": "10.0.1" } ] } }""");
        _temp.WriteFile("app/web.dll", "");
        Tools.RunChecked("chmod", ["755", _temp.WriteFile("app/web", "#!/bin/sh\necho \"self-contained $(pwd)\"\n")]);

        var result = Start();

        result.ExitCode.ShouldBe(0, result.ToString());
        result.StdOut.ShouldContain($"self-contained {App}", Case.Sensitive, result.ToString());
    }
}
