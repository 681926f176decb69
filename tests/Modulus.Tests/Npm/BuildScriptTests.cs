using System.Text.RegularExpressions;
using System.Xml.Linq;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Npm;

/// <summary>
/// images/build-node/build, run with python3 against source folders and fake baked runtimes (a
/// copy with NODE_ROOT rewritten, <see cref="ScriptCopy"/>): each fake `npm` prints its version
/// and arguments, installs a marker dependency (and a devDependency unless told --omit=dev), and
/// fails, passes tests or installs another npm as the test's environment tells it.
/// </summary>
public class BuildScriptTests
{
    private static readonly (string Node, string Npm)[] Baked = [("18.20.1", "10.5.0"), ("20.11.0", "10.2.4"), ("22.3.0", "10.8.1")];

    private const string FakeNpm = """
        #!/bin/sh
        if [ "$1" = config ]; then echo '{"registry":"http://127.0.0.1:9/","@private:registry":"http://127.0.0.1:8/x/","cache":"/tmp"}'; exit 0; fi
        echo "npm @VERSION@ $*"
        case "$1" in
          ci|install)
            if [ "$2" = "--global" ]; then
              [ -n "$FAKE_NPM_INSTALL_FAILS" ] && exit 1
              mkdir -p "$4/bin" "$4/lib/node_modules/npm"
              printf '#!/bin/sh\necho "npm installed $*"\n' > "$4/bin/npm"; chmod 755 "$4/bin/npm"
              echo '{"version":"11.0.0"}' > "$4/lib/node_modules/npm/package.json"
              exit 0
            fi
            if [ -n "$NPM_CONFIG_USERCONFIG" ]; then echo "userconfig:"; cat "$NPM_CONFIG_USERCONFIG"; fi
            if [ -n "$FAKE_REFUSE" ]; then echo "npm error code E401" >&2; exit 1; fi
            if [ -n "$FAKE_FAILURES" ]; then
              left=$(cat "$FAKE_FAILURES"); if [ "$left" -gt 0 ]; then echo $((left - 1)) > "$FAKE_FAILURES"; echo "npm error code ECONNRESET" >&2; exit 1; fi
            fi
            mkdir -p node_modules/dep; echo dep > node_modules/dep/index.js
            case "$*" in *--omit=dev*) ;; *) mkdir -p node_modules/devdep ;; esac ;;
          test) echo "test output: 1 failing"; exit "${FAKE_TEST_EXIT:-0}" ;;
          prune) rm -rf node_modules/devdep ;;
        esac
        """;

    private TempDirectory _temp = null!;

    private string Input => _temp.Combine("input");

    private string Output => _temp.Combine("output");

    [SetUp]
    public void SetUp()
    {
        _temp = new TempDirectory("build");
        Directory.CreateDirectory(Input);
        Directory.CreateDirectory(Output);
        Directory.CreateDirectory(_temp.Combine("home"));
        Directory.CreateDirectory(_temp.Combine("tmp"));
        foreach (var (node, npm) in Baked)
        {
            var nodePath = _temp.WriteFile($"node/{node}/bin/node", $"#!/bin/sh\necho \"node {node} $*\"\n");
            var npmPath = _temp.WriteFile($"node/{node}/bin/npm", FakeNpm.Replace("@VERSION@", npm, StringComparison.Ordinal) + "\n");
            _temp.WriteFile($"node/{node}/lib/node_modules/npm/package.json", $$"""{ "name": "npm", "version": "{{npm}}" }""");
            Tools.RunChecked("chmod", ["755", nodePath, npmPath]);
        }
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private Tools.Result Build(Dictionary<string, string?>? environment = null)
    {
        var python = Tools.Require("python3");
        var build = ScriptCopy.Write(RepoPaths.Combine("images", "build-node", "build"), _temp.Combine("bin", "build"), ("NODE_ROOT", _temp.Combine("node")));
        var env = new Dictionary<string, string?>
        {
            ["INPUT_DIR"] = Input,
            ["OUTPUT_DIR"] = Output,
            ["HOME"] = _temp.Combine("home"),
            ["TMPDIR"] = _temp.Combine("tmp"),
            ["NPM_CONFIG_USERCONFIG"] = null,
            ["NPM_TOKEN"] = null,
            ["RUN_TESTS"] = null,
            ["MODULUS_CONFIG_ENGINES_NODE"] = null,
            ["MODULUS_CONFIG_IGNORE_NPM_ERRORS"] = null,
        };
        foreach (var (k, v) in environment ?? []) env[k] = v;
        return Tools.Run(python, [build], environment: env);
    }

    private static string[] Lines(string text, string prefix) =>
        text.Split('\n').Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).ToArray();

    private string[] OutputNames() => Directory.GetFileSystemEntries(Output).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    [Test]
    public void The_script_is_python3_and_executable_and_reads_ranges_with_start_s_code()
    {
        var path = RepoPaths.Combine("images", "build-node", "build");
        File.ReadLines(path).First().ShouldBe("#!/usr/bin/python3");
        if (OperatingSystem.IsLinux()) File.GetUnixFileMode(path).HasFlag(UnixFileMode.OtherExecute).ShouldBeTrue();

        static string Ranges(string file)
        {
            var text = File.ReadAllText(file);
            var start = text.IndexOf("# --- versions and ranges", StringComparison.Ordinal);
            return text[start..text.IndexOf("# --- the application", StringComparison.Ordinal)];
        }
        Ranges(path).ShouldBe(Ranges(RepoPaths.Combine("images", "node", "start")), "build and start must choose the same version from one range");
    }

    [Test]
    public void Build_node_bakes_the_runtimes_run_node_has()
    {
        static string[] Runtimes(string project) => XDocument.Load(RepoPaths.Combine("images", project, project + ".csproj"))
            .Descendants("ModulusNodeRuntime").Select(e => $"{e.Attribute("Include")!.Value} with npm {e.Attribute("NpmVersion")?.Value}").ToArray();

        Runtimes("build-node").ShouldBe(Runtimes("node"));
    }

    [Test]
    public void A_locked_app_gets_npm_ci_without_dev_dependencies_and_moves_whole_to_the_output_with_the_version_recorded()
    {
        _temp.WriteFile("input/web/package.json", """{ "name": "web", "engines": { "node": "20.x" } }""");
        _temp.WriteFile("input/web/package-lock.json", "{}");
        _temp.WriteFile("input/.env", "A=1");
        _temp.WriteFile("input/node_modules/other/package.json", "{}");

        var result = Build();

        result.ExitCode.ShouldBe(0, result.ToString());
        result.StdOut.ShouldContain($"build: package.json at {_temp.Combine("input", "web", "package.json")}:\n{{ \"name\": \"web\", \"engines\": {{ \"node\": \"20.x\" }} }}\n");
        result.StdOut.ShouldContain("npm 10.2.4 ci --omit=dev\n");
        result.StdOut.ShouldContain("build: Node.js 20.11.0, npm 10.2.4");
        OutputNames().ShouldBe([".env", ".modulus", "node_modules", "web"]);
        Directory.Exists(_temp.Combine("output", "web", "node_modules", "dep")).ShouldBeTrue();
        Directory.Exists(_temp.Combine("output", "web", "node_modules", "devdep")).ShouldBeFalse("devDependencies stay out without RUN_TESTS");
        Directory.GetFileSystemEntries(Input).ShouldBeEmpty();
        File.ReadAllText(_temp.Combine("output", ".modulus", "build.json")).ShouldContain("\"node\": \"20.11.0\"");
        result.StdErr.ShouldBeEmpty();
    }

    [Test]
    public void Without_a_lock_file_npm_install_runs_on_the_newest_runtime()
    {
        _temp.WriteFile("input/package.json", """{ "name": "app" }""");

        var result = Build();

        result.ExitCode.ShouldBe(0, result.ToString());
        result.StdOut.ShouldContain("npm 10.8.1 install --omit=dev\n");
    }

    [Test]
    public void An_unsatisfiable_engines_node_is_one_error_line_naming_the_range_and_the_versions()
    {
        _temp.WriteFile("input/package.json", """{ "engines": { "node": ">=30" } }""");

        var result = Build();

        result.ExitCode.ShouldBe(1);
        result.StdErr.ShouldBe($"ERROR: no installed Node.js version satisfies engines.node '>=30' (from {_temp.Combine("input", "package.json")}); available versions: 18.20.1, 20.11.0, 22.3.0\n");
        OutputNames().ShouldBeEmpty();
    }

    [Test]
    public void App_json_decides_the_version_when_the_platform_says_so()
    {
        _temp.WriteFile("input/package.json", """{ "engines": { "node": "22" } }""");
        _temp.WriteFile("input/app.json", """{ "engines": { "node": "18" } }""");

        var result = Build(new() { ["MODULUS_CONFIG_ENGINES_NODE"] = "1" });

        result.ExitCode.ShouldBe(0, result.ToString());
        result.StdOut.ShouldContain("build: Node.js 18.20.1, npm 10.5.0");
    }

    [Test]
    public void Run_tests_installs_dev_dependencies_and_a_failing_test_fails_the_build_with_its_output()
    {
        _temp.WriteFile("input/package.json", """{ "scripts": { "test": "mocha" } }""");

        var result = Build(new() { ["RUN_TESTS"] = "true", ["FAKE_TEST_EXIT"] = "3" });

        result.ExitCode.ShouldBe(1);
        result.StdOut.ShouldContain("npm 10.8.1 install\n");
        result.StdOut.ShouldContain("test output: 1 failing");
        Lines(result.StdErr, "ERROR: ").ShouldBe(["ERROR: npm test failed (its output is above); the build stops, as RUN_TESTS=true asks"]);
        OutputNames().ShouldBeEmpty();
    }

    [Test]
    public void Passing_tests_leave_no_dev_dependency_in_the_output()
    {
        _temp.WriteFile("input/package.json", "{}");

        var result = Build(new() { ["RUN_TESTS"] = "true" });

        result.ExitCode.ShouldBe(0, result.ToString());
        result.StdOut.ShouldContain("npm 10.8.1 test\n");
        result.StdOut.ShouldContain("npm 10.8.1 prune --omit=dev\n");
        Directory.Exists(_temp.Combine("output", "node_modules", "dep")).ShouldBeTrue();
        Directory.Exists(_temp.Combine("output", "node_modules", "devdep")).ShouldBeFalse();
    }

    [Test]
    public void An_install_is_tried_three_times_then_fails_with_one_line()
    {
        _temp.WriteFile("input/package.json", "{}");
        var failures = _temp.WriteFile("failures", "2");

        var twice = Build(new() { ["FAKE_FAILURES"] = failures });
        twice.ExitCode.ShouldBe(0, twice.ToString());
        Lines(twice.StdErr, "WARNING: ").Length.ShouldBe(2, twice.ToString());

        Directory.Delete(Output, recursive: true);
        Directory.CreateDirectory(Output);
        _temp.WriteFile("input/package.json", "{}");
        File.WriteAllText(failures, "3");
        var thrice = Build(new() { ["FAKE_FAILURES"] = failures });
        thrice.ExitCode.ShouldBe(1);
        Lines(thrice.StdErr, "ERROR: ").ShouldHaveSingleItem().ShouldContain("npm install --omit=dev failed with exit code 1 after 3 attempts");
        thrice.StdErr.ShouldContain("npm error code ECONNRESET\n", Case.Sensitive, "npm's own output goes through");
    }

    [Test]
    public void A_refused_install_is_tried_once_and_says_whether_the_token_is_missing()
    {
        _temp.WriteFile("input/package.json", "{}");

        var without = Build(new() { ["FAKE_REFUSE"] = "1" });

        without.ExitCode.ShouldBe(1);
        Lines(without.StdOut, "build: running ").Count(l => l.Contains(" install", StringComparison.Ordinal)).ShouldBe(1, without.ToString());
        Lines(without.StdErr, "ERROR: ").ShouldBe(["ERROR: npm install --omit=dev was refused by the registry (401 or 403, its output is above): NPM_TOKEN is not set, and a private package's registry needs it"]);

        var with = Build(new() { ["FAKE_REFUSE"] = "1", ["NPM_TOKEN"] = "wrong" });

        Lines(with.StdErr, "ERROR: ").ShouldHaveSingleItem().ShouldEndWith("NPM_TOKEN was given, and the registry did not accept it");
    }

    [Test]
    public void A_filled_output_folder_is_refused_before_anything_runs()
    {
        _temp.WriteFile("input/package.json", "{}");
        _temp.WriteFile("output/old.txt", "x");

        var result = Build();

        result.ExitCode.ShouldBe(1);
        result.StdErr.ShouldBe($"ERROR: OUTPUT_DIR {Output} is not empty; build moves the application there and overwrites nothing\n");
        result.StdOut.ShouldBeEmpty();
    }

    [Test]
    public void Ignoring_npm_errors_goes_on_with_a_warning()
    {
        _temp.WriteFile("input/package.json", "{}");
        var failures = _temp.WriteFile("failures", "3");

        var result = Build(new() { ["FAKE_FAILURES"] = failures, ["MODULUS_CONFIG_IGNORE_NPM_ERRORS"] = "true" });

        result.ExitCode.ShouldBe(0, result.ToString());
        Lines(result.StdErr, "WARNING: ").Last().ShouldContain("going on because MODULUS_CONFIG_IGNORE_NPM_ERRORS is true");
        OutputNames().ShouldContain("package.json");
    }

    [Test]
    public void A_token_reaches_npm_through_a_user_config_that_never_holds_it()
    {
        _temp.WriteFile("input/package.json", "{}");
        const string token = "npm_SECRET123456";

        var result = Build(new() { ["NPM_TOKEN"] = token });

        result.ExitCode.ShouldBe(0, result.ToString());
        result.StdOut.ShouldContain("//127.0.0.1:9/:_authToken=${NPM_TOKEN}\n");
        result.StdOut.ShouldContain("//127.0.0.1:8/x/:_authToken=${NPM_TOKEN}\n");
        (result.StdOut + result.StdErr).ShouldNotContain(token);
        Directory.GetFiles(_temp.Path, "*", SearchOption.AllDirectories).ShouldAllBe(f => !File.ReadAllText(f).Contains(token));
        Directory.GetFiles(_temp.Combine("tmp")).ShouldBeEmpty("the user config is removed after the install");
    }

    [Test]
    public void Engines_npm_keeps_the_bundled_npm_when_it_satisfies_and_installs_one_when_not()
    {
        _temp.WriteFile("input/package.json", """{ "engines": { "node": "20", "npm": "10" } }""");
        var bundled = Build();
        bundled.ExitCode.ShouldBe(0, bundled.ToString());
        bundled.StdOut.ShouldContain("build: Node.js 20.11.0, npm 10.2.4");

        Directory.Delete(Output, recursive: true);
        _temp.WriteFile("input/package.json", """{ "engines": { "node": "20", "npm": ">=11" } }""");
        var installed = Build();
        installed.ExitCode.ShouldBe(0, installed.ToString());
        installed.StdOut.ShouldContain($"npm 10.2.4 install --global --prefix {_temp.Combine("home", ".modulus", "npm")} npm@>=11\n");
        installed.StdOut.ShouldContain("build: Node.js 20.11.0, npm 11.0.0");
        installed.StdOut.ShouldContain("npm installed install --omit=dev");
    }

    [Test]
    public void An_npm_that_cannot_be_had_is_one_error_line()
    {
        _temp.WriteFile("input/package.json", """{ "engines": { "node": "20", "npm": ">=11" } }""");

        var result = Build(new() { ["FAKE_NPM_INSTALL_FAILS"] = "1" });

        result.ExitCode.ShouldBe(1);
        Lines(result.StdErr, "ERROR: ").ShouldBe([$"ERROR: no npm satisfies engines.npm '>=11' (from {_temp.Combine("input", "package.json")}): Node.js 20.11.0 has npm 10.2.4, and installing npm@>=11 failed"]);
    }

    [Test]
    public void A_shrinkwrap_is_warned_about()
    {
        _temp.WriteFile("input/package.json", "{}");
        _temp.WriteFile("input/npm-shrinkwrap.json", "{}");

        var result = Build();

        result.ExitCode.ShouldBe(0, result.ToString());
        result.StdOut.ShouldContain("npm 10.8.1 ci --omit=dev\n");
        Lines(result.StdErr, "WARNING: ").ShouldHaveSingleItem().ShouldContain("npm-shrinkwrap.json");
    }

    [Test]
    public void No_package_json_is_an_error()
    {
        _temp.WriteFile("input/node_modules/x/package.json", "{}");

        var result = Build();

        result.ExitCode.ShouldBe(1);
        result.StdErr.ShouldBe($"ERROR: no package.json in {Input} (node_modules and .git are not searched)\n");
    }
}
