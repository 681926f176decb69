using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Npm;

/// <summary>
/// images/node/start, run with python3 against app folders and fake baked runtimes (a copy with
/// its two folders rewritten, <see cref="ScriptCopy"/>): each fake
/// `node` and `npm` prints its version, its arguments, its working directory and its stdin.
/// </summary>
public class StartScriptTests
{
    private static readonly string[] Baked = ["18.20.1", "20.11.0", "22.3.0"];

    private TempDirectory _temp = null!;

    private string App => _temp.Combine("app");

    [SetUp]
    public void SetUp()
    {
        _temp = new TempDirectory("start");
        Directory.CreateDirectory(App);
        foreach (var version in Baked)
        {
            foreach (var program in new[] { "node", "npm" })
            {
                var path = _temp.WriteFile($"node/{version}/bin/{program}",
                    $"#!/bin/sh\necho \"{program} {version} $*\"\necho \"cwd $(pwd)\"\necho \"stdin $(readlink /proc/self/fd/0)\"\necho \"path ${{PATH%%:*}}\"\n");
                Tools.RunChecked("chmod", ["755", path]);
            }
        }
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private Tools.Result Start(Dictionary<string, string?>? environment = null)
    {
        var python = Tools.Require("python3");
        var start = ScriptCopy.Write(RepoPaths.Combine("images", "node", "start"), _temp.Combine("bin", "start"),
            ("APP_ROOT", App), ("NODE_ROOT", _temp.Combine("node")));
        var env = new Dictionary<string, string?>
        {
            ["EXEC_ARGS"] = null,
            ["MODULUS_CONFIG_ENGINES_NODE"] = null,
        };
        foreach (var (k, v) in environment ?? []) env[k] = v;
        return Tools.Run(python, [start], environment: env);
    }

    private static string[] Warnings(Tools.Result result) =>
        result.StdErr.Split('\n').Where(l => l.StartsWith("WARNING: ", StringComparison.Ordinal)).ToArray();

    [Test]
    public void The_script_is_python3_and_executable()
    {
        var path = RepoPaths.Combine("images", "node", "start");
        File.ReadLines(path).First().ShouldBe("#!/usr/bin/python3");
        if (OperatingSystem.IsLinux()) File.GetUnixFileMode(path).HasFlag(UnixFileMode.OtherExecute).ShouldBeTrue();
    }

    [Test]
    public void A_start_script_runs_npm_start_in_the_package_folder_with_stdin_from_dev_null()
    {
        _temp.WriteFile("app/package.json", """{ "scripts": { "start": "node server.js" }, "main": "other.js" }""");

        var result = Start();

        result.ExitCode.ShouldBe(0, result.ToString());
        result.StdOut.ShouldContain("npm 22.3.0 start\n");
        result.StdOut.ShouldContain($"cwd {App}\n");
        result.StdOut.ShouldContain("stdin /dev/null\n");
        result.StdOut.ShouldContain($"path {_temp.Combine("node", "22.3.0", "bin")}\n");
        Warnings(result).ShouldBeEmpty();
    }

    [Test]
    public void Main_runs_with_exec_args_in_the_shallowest_package_folder()
    {
        _temp.WriteFile("app/web/package.json", """{ "main": "lib/server.js" }""");
        _temp.WriteFile("app/web/lib/server.js", "");
        _temp.WriteFile("app/web/deeper/more/package.json", """{ "scripts": { "start": "x" } }""");

        var result = Start(new() { ["EXEC_ARGS"] = "--max-old-space-size=256 --trace-warnings" });

        result.ExitCode.ShouldBe(0, result.ToString());
        result.StdOut.ShouldContain("node 22.3.0 --max-old-space-size=256 --trace-warnings lib/server.js\n");
        result.StdOut.ShouldContain($"cwd {_temp.Combine("app", "web")}\n");
        Warnings(result).ShouldBeEmpty();
    }

    [Test]
    public void Without_package_json_a_fallback_file_runs_with_warnings()
    {
        _temp.WriteFile("app/server.js", "");
        _temp.WriteFile("app/main.js", "");

        var result = Start();

        result.ExitCode.ShouldBe(0, result.ToString());
        result.StdOut.ShouldContain("node 22.3.0 server.js\n");
        Warnings(result).Length.ShouldBe(2, result.ToString());
        Warnings(result)[0].ShouldContain("no package.json");
        Warnings(result)[1].ShouldContain("server.js");
    }

    [Test]
    public void A_package_json_inside_node_modules_or_git_is_ignored()
    {
        _temp.WriteFile("app/node_modules/dep/package.json", """{ "scripts": { "start": "x" } }""");
        _temp.WriteFile("app/.git/package.json", """{ "scripts": { "start": "x" } }""");
        _temp.WriteFile("app/app.js", "");

        var result = Start();

        result.ExitCode.ShouldBe(0, result.ToString());
        result.StdOut.ShouldContain("node 22.3.0 app.js\n");
        result.StdOut.ShouldContain($"cwd {App}\n");
    }

    [TestCase("^18", "18.20.1")]
    [TestCase(">=20 <22", "20.11.0")]
    [TestCase("20.x || 18", "20.11.0")]
    [TestCase("18.20.1 - 20", "20.11.0")]
    [TestCase(">=16", "22.3.0")]
    [TestCase("~22.3.0", "22.3.0")]
    public void Engines_node_picks_the_highest_baked_match(string range, string expected)
    {
        _temp.WriteFile("app/package.json", $$"""{ "engines": { "node": "{{range}}" }, "main": "index.js" }""");
        _temp.WriteFile("app/index.js", "");

        var result = Start();

        result.ExitCode.ShouldBe(0, result.ToString());
        result.StdOut.ShouldContain($"node {expected} index.js\n");
    }

    [Test]
    public void An_unsatisfiable_range_is_one_error_line_naming_the_range_and_the_versions()
    {
        _temp.WriteFile("app/package.json", """{ "engines": { "node": ">=24" }, "main": "index.js" }""");
        _temp.WriteFile("app/index.js", "");

        var result = Start();

        result.ExitCode.ShouldNotBe(0);
        result.StdOut.ShouldNotContain("node ");
        var lines = result.StdErr.Trim().Split('\n');
        lines.Length.ShouldBe(1, result.ToString());
        lines[0].ShouldStartWith("ERROR: ");
        lines[0].ShouldContain("'>=24'");
        lines[0].ShouldContain("18.20.1, 20.11.0, 22.3.0");
    }

    [Test]
    public void The_version_build_node_recorded_wins_over_engines_while_this_image_has_it()
    {
        _temp.WriteFile("app/package.json", """{ "engines": { "node": ">=18" }, "main": "index.js" }""");
        _temp.WriteFile("app/index.js", "");
        _temp.WriteFile("app/.modulus/build.json", """{ "node": "20.11.0", "npm": "10.2.4" }""");

        var recorded = Start();

        recorded.ExitCode.ShouldBe(0, recorded.ToString());
        recorded.StdOut.ShouldContain("node 20.11.0 index.js\n");
        Warnings(recorded).ShouldBeEmpty();

        _temp.WriteFile("app/.modulus/build.json", """{ "node": "21.0.0" }""");
        var missing = Start();

        missing.ExitCode.ShouldBe(0, missing.ToString());
        missing.StdOut.ShouldContain("node 22.3.0 index.js\n");
        Warnings(missing).ShouldHaveSingleItem().ShouldContain("names Node.js 21.0.0, which this image does not have");
    }

    [Test]
    public void App_json_decides_the_version_when_the_platform_says_so()
    {
        _temp.WriteFile("app/package.json", """{ "engines": { "node": "^22" }, "main": "index.js" }""");
        _temp.WriteFile("app/app.json", """{ "engines": { "node": "^18" } }""");
        _temp.WriteFile("app/index.js", "");

        Start().StdOut.ShouldContain("node 22.3.0 index.js\n");
        Start(new() { ["MODULUS_CONFIG_ENGINES_NODE"] = "true" }).StdOut.ShouldContain("node 18.20.1 index.js\n");
    }

    [Test]
    public void Nothing_to_run_is_an_error()
    {
        _temp.WriteFile("app/package.json", """{ "name": "empty" }""");

        var result = Start();

        result.ExitCode.ShouldNotBe(0);
        result.StdOut.ShouldNotContain("node ");
        result.StdErr.Trim().Split('\n').Last().ShouldStartWith("ERROR: nothing to run in " + App);
    }

    [Test]
    public void A_missing_main_falls_back_with_a_warning()
    {
        _temp.WriteFile("app/package.json", """{ "main": "dist/missing.js" }""");
        _temp.WriteFile("app/index.js", "");

        var result = Start();

        result.StdOut.ShouldContain("node 22.3.0 index.js\n");
        Warnings(result)[0].ShouldContain("dist/missing.js");
    }
}
