using System.Diagnostics;
using Docker.DotNet;
using Docker.DotNet.Models;
using Modulus.Daemon;
using Modulus.Tests.Sdk;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.RunImages;

/// <summary>
/// The whole deploy of a Node.js application on the standard, with real parts: images/build-node
/// and images/node published once and loaded into dockerd, and an npm registry the test serves on
/// the host's loopback (build containers use the host's network to reach it; nothing reaches the
/// public registry). The application, with a dependency, a private dependency and a
/// devDependency, is built the way the platform builds it (`docker run` of the build image with
/// the source in /mnt/input), and its /mnt/output, mounted as /mnt/app into run-node, answers
/// HTTP. The failure cases run build by `docker exec` in one more build container, each on its
/// own input and output folders: a container of these images costs seconds to create.
/// </summary>
[NonParallelizable]
public class BuildThenRunTests
{
    private const string Token = "npm_T0KEN-only-the-build-knows";

    private const string Server = """
        const http = require('http');
        const greet = require('greet');
        const secret = require('@private/secret');
        http.createServer((req, res) => res.end(`${greet()} and ${secret()} on node ${process.version} as uid ${process.getuid()}`))
          .listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));

        """;

    private const string SupervisorConf = """
        [program:app]
        command=start
        environment=PORT=8080
        stdout_logfile=/mnt/log/app.log
        redirect_stderr=true

        """;

    private Dockerd _dockerd = null!;
    private SdkWorkspace _workspace = null!;
    private DockerClient _client = null!;
    private LoopbackNpmRegistry _registry = null!;
    private RunContainer _cases = null!;

    private (long ExitCode, string StdOut, string StdErr, IList<ContainerFileSystemChangeResponse> Changes) _build;
    private MntFolder _buildMnt = null!;
    private MntFolder _runMnt = null!;
    private RunContainer? _run;
    private string _answer = string.Empty;

    [OneTimeSetUp]
    public async Task PublishBuildAndRun()
    {
        MntFolder.RequireRoot();
        var clock = Stopwatch.StartNew();
        _dockerd = await Dockerd.StartAsync();
        _workspace = new SdkWorkspace();
        TestContext.Progress.WriteLine($"dockerd and the SDK's workspace ready in {clock.Elapsed.TotalSeconds:F0} s");
        clock.Restart();
        var build = PublishedBuildNodeImage.Publish(_workspace);
        var run = PublishedNodeImage.Publish(_workspace);
        TestContext.Progress.WriteLine($"published {PublishedBuildNodeImage.Reference} ({build.Size:N0} bytes compressed) and {PublishedNodeImage.Reference} ({run.Size:N0}) in {clock.Elapsed.TotalSeconds:F0} s");
        clock.Restart();
        // At once: the daemon unpacks one image's layers while it reads the other's.
        await Task.WhenAll(
            DockerDaemon.LoadAsync(build.Project.ArchivePath, _dockerd.Host, CancellationToken.None),
            DockerDaemon.LoadAsync(run.Project.ArchivePath, _dockerd.Host, CancellationToken.None));
        TestContext.Progress.WriteLine($"loaded both into dockerd in {clock.Elapsed.TotalSeconds:F0} s");
        _client = _dockerd.CreateClient();
        _registry = new LoopbackNpmRegistry(Token, TimeSpan.FromMinutes(15));
        _registry.Publish("greet", "1.2.0", ("index.js", "module.exports = () => 'hello from greet';\n"));
        _registry.Publish("devtool", "1.0.0", ("index.js", "module.exports = (ok) => { if (!ok) { console.log('devtool: 1 failing test: greet says goodbye'); process.exit(1); } };\n"));
        _registry.Publish(LoopbackNpmRegistry.PrivateScope + "/secret", "2.0.0", ("index.js", "module.exports = () => 'a private word';\n"));

        clock.Restart();
        _buildMnt = new MntFolder(MntFolder.BuildFolders);
        WriteApp(_buildMnt, "input");
        _build = await BuildAsync(_buildMnt, ["NPM_TOKEN=" + Token]);
        if (_build.ExitCode == 0) await RunAsync();
        TestContext.Progress.WriteLine($"build, then run, answered HTTP in {clock.Elapsed.TotalSeconds:F1} s");

        var cases = new MntFolder(MntFolder.BuildFolders);
        WriteCases(cases);
        _cases = await RunContainer.StartAsync(_client, PublishedBuildNodeImage.Reference, cases, network: "host", command: ["sleep", "infinity"]);
    }

    [OneTimeTearDown]
    public async Task RemoveEverything()
    {
        var clock = Stopwatch.StartNew();
        foreach (var container in new[] { _run, _cases })
        {
            if (container is null) continue;
            await container.DisposeAsync();
            container.Mnt.Dispose();
        }
        _buildMnt?.Dispose();
        _registry?.Dispose();
        _client?.Dispose();
        _workspace?.Dispose();
        _dockerd?.Dispose();
        TestContext.Progress.WriteLine($"removed the containers and images in {clock.Elapsed.TotalSeconds:F0} s");
    }

    /// <summary>The application: engines.node asks for 22 (not the newest), .npmrc names the registry.</summary>
    private void WriteApp(MntFolder mnt, string folder, string test = "require('devtool')(true);\n", string engines = "22.x")
    {
        mnt.WriteFile($"{folder}/package.json", $$"""
            {
              "name": "web",
              "version": "1.0.0",
              "scripts": { "start": "node server.js", "test": "node test.js" },
              "engines": { "node": "{{engines}}" },
              "dependencies": { "greet": "^1.0.0", "@private/secret": "^2.0.0" },
              "devDependencies": { "devtool": "^1.0.0" }
            }
            """);
        mnt.WriteFile($"{folder}/.npmrc", $"registry={_registry.Url}\n{LoopbackNpmRegistry.PrivateScope}:registry={_registry.Url}\n");
        mnt.WriteFile($"{folder}/server.js", Server);
        mnt.WriteFile($"{folder}/test.js", test);
    }

    private void WriteCases(MntFolder mnt)
    {
        WriteApp(mnt, "cases/no-token/input");
        WriteApp(mnt, "cases/failing-test/input", test: "require('devtool')(false);\n");
        WriteApp(mnt, "cases/engines/input", engines: "^18");
        mnt.WriteFile("cases/outside/input/package.json", """{ "name": "outside", "scripts": { "postinstall": "echo pwned > /opt/modulus/pwned" } }""");
        foreach (var name in new[] { "no-token", "failing-test", "engines", "outside" })
        {
            Directory.CreateDirectory(mnt.HostPath($"cases/{name}/output"));
            Tools.RunChecked("chown", ["-R", "441:444", mnt.HostPath("cases")]);
        }
    }

    /// <summary>`docker run --rm --network host -v MNT:/mnt [-e ...] modulus/build-node`: the image's own command, build under my_init.</summary>
    private async Task<(long, string, string, IList<ContainerFileSystemChangeResponse>)> BuildAsync(MntFolder mnt, IList<string> environment)
    {
        var created = await _client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = PublishedBuildNodeImage.Reference,
            Name = "build-" + Guid.NewGuid().ToString("N")[..10],
            Env = environment,
            HostConfig = new HostConfig { NetworkMode = "host", Binds = [$"{mnt.Path}:/mnt"] },
        });
        try
        {
            await _client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            var exit = await _client.Containers.WaitContainerAsync(created.ID, timeout.Token);
            using var logs = await _client.Containers.GetContainerLogsAsync(created.ID, tty: false,
                new ContainerLogsParameters { ShowStdout = true, ShowStderr = true }, CancellationToken.None);
            var (stdout, stderr) = await logs.ReadOutputToEndAsync(CancellationToken.None);
            var changes = await _client.Containers.InspectChangesAsync(created.ID) ?? [];
            return (exit.StatusCode, stdout, stderr, changes);
        }
        finally
        {
            await _client.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true });
        }
    }

    /// <summary>The build's output as run-node's /mnt/app, supervised, asked over HTTP from inside (the run container has no network).</summary>
    private async Task RunAsync()
    {
        _runMnt = new MntFolder();
        _runMnt.CopyFolder(_buildMnt.HostPath("output"), "app");
        _runMnt.WriteFile("supervisor.conf", SupervisorConf);
        _run = await RunContainer.StartAsync(_client, PublishedNodeImage.Reference, _runMnt);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!_runMnt.Read("log/app.log").Contains("listening", StringComparison.Ordinal) && DateTime.UtcNow < deadline) await Task.Delay(200);
        var node = $"/opt/modulus/node/{PublishedNodeImage.Versions[^1]}/bin/node";
        var response = await _run.ExecAsync([node, "-e",
            "require('http').get('http://127.0.0.1:8080/', r => { let d = ''; r.on('data', c => d += c); r.on('end', () => console.log(d)); })"]);
        _answer = response.StdOut.Trim();
    }

    private string BuildOutput => $"exit {_build.ExitCode}\n--- stdout ---\n{_build.StdOut}\n--- stderr ---\n{_build.StdErr}";

    private Task<ExecResult> BuildCaseAsync(string name, params string[] environment) =>
        _cases.ExecAsync(["env", $"INPUT_DIR=/mnt/cases/{name}/input", $"OUTPUT_DIR=/mnt/cases/{name}/output", .. environment, "build"], limit: TimeSpan.FromMinutes(3));

    [Test]
    public async Task The_built_app_runs_in_run_node_and_answers_http_on_the_node_js_engines_chose()
    {
        _build.ExitCode.ShouldBe(0, BuildOutput);
        _build.StdOut.ShouldContain("build: Node.js 22.23.5, npm ", Case.Sensitive, BuildOutput);
        _answer.ShouldBe("hello from greet and a private word on node v22.23.5 as uid 441", _run is null ? BuildOutput : await _run.DescribeAsync());
        _runMnt.Read("log/app.log").ShouldContain("start: Node.js 22.23.5 in /mnt/app: /opt/modulus/node/22.23.5/bin/npm start", Case.Sensitive);
    }

    [Test]
    public void The_output_holds_the_dependencies_and_dot_files_but_no_dev_dependency()
    {
        _build.ExitCode.ShouldBe(0, BuildOutput);
        var output = _buildMnt.HostPath("output");
        Directory.Exists(Path.Combine(output, "node_modules", "greet")).ShouldBeTrue(BuildOutput);
        Directory.Exists(Path.Combine(output, "node_modules", "@private", "secret")).ShouldBeTrue(BuildOutput);
        Directory.Exists(Path.Combine(output, "node_modules", "devtool")).ShouldBeFalse("devDependencies stay out of the output without RUN_TESTS");
        File.Exists(Path.Combine(output, ".npmrc")).ShouldBeTrue("dot files move with the source");
        File.ReadAllText(Path.Combine(output, ".modulus", "build.json")).ShouldContain("\"node\": \"22.23.5\"");
        Directory.GetFileSystemEntries(_buildMnt.HostPath("input")).ShouldBeEmpty("the input moved to the output");
    }

    [Test]
    public void The_token_reached_the_registry_and_is_nowhere_in_the_output_the_logs_or_the_container()
    {
        _build.ExitCode.ShouldBe(0, BuildOutput);
        _registry.Requests.ShouldContain(r => r.Path.StartsWith("/@private/secret", StringComparison.Ordinal) && r.Authorized);
        (_build.StdOut + _build.StdErr).ShouldNotContain(Token);
        var volume = Tools.Run("grep", ["-rl", Token, _buildMnt.Path]);
        volume.StdOut.ShouldBeEmpty("no file of the volume (output, home, tmp) holds the token");
        volume.ExitCode.ShouldBe(1, "grep read every file and matched none (2 would mean a file it could not read):\n" + volume.StdErr);
        _build.Changes.Select(c => c.Path).Where(p => !p.StartsWith("/mnt", StringComparison.Ordinal)).ShouldBeEmpty("the build changed nothing in the container outside /mnt");
    }

    [Test]
    public async Task Without_the_token_the_private_package_fails_the_build_with_a_clear_error()
    {
        var result = await BuildCaseAsync("no-token");

        result.ExitCode.ShouldNotBe(0L, result.ToString());
        result.StdErr.ShouldContain("E401", Case.Sensitive, result.ToString());
        var errors = result.StdErr.Split('\n').Where(l => l.StartsWith("ERROR: ", StringComparison.Ordinal)).ToArray();
        errors.ShouldHaveSingleItem(result.ToString()).ShouldContain("was refused by the registry (401 or 403, its output is above): NPM_TOKEN is not set");
        _cases.Mnt.HostPath("cases/no-token/output").ShouldSatisfyAllConditions(o => Directory.GetFileSystemEntries(o).ShouldBeEmpty());
    }

    [Test]
    public async Task Run_tests_with_a_failing_test_fails_the_build_with_the_test_output()
    {
        var result = await BuildCaseAsync("failing-test", "RUN_TESTS=true", "NPM_TOKEN=" + Token);

        result.ExitCode.ShouldBe(1L, result.ToString());
        result.StdOut.ShouldContain("devtool: 1 failing test: greet says goodbye", Case.Sensitive, result.ToString());
        result.StdErr.ShouldContain("ERROR: npm test failed (its output is above); the build stops, as RUN_TESTS=true asks", Case.Sensitive, result.ToString());
        Directory.GetFileSystemEntries(_cases.Mnt.HostPath("cases/failing-test/output")).ShouldBeEmpty();
    }

    [Test]
    public async Task A_build_that_writes_outside_mnt_is_refused()
    {
        var result = await BuildCaseAsync("outside");

        result.ExitCode.ShouldNotBe(0L, result.ToString());
        (result.StdOut + result.StdErr).ShouldContain("/opt/modulus/pwned: Permission denied", Case.Sensitive, result.ToString());
        (await _cases.ShellAsync("test -e /opt/modulus/pwned")).ExitCode.ShouldBe(1L);
    }

    [Test]
    public async Task An_unsatisfiable_engines_node_fails_with_one_line_naming_the_range_and_the_versions()
    {
        var result = await BuildCaseAsync("engines");

        result.ExitCode.ShouldBe(1L, result.ToString());
        result.StdErr.ShouldBe($"ERROR: no installed Node.js version satisfies engines.node '^18' (from /mnt/cases/engines/input/package.json); available versions: {string.Join(", ", PublishedNodeImage.Versions)}\n");
    }
}
