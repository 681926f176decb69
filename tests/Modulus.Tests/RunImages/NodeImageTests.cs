using Docker.DotNet;
using Modulus.Daemon;
using Modulus.Tests.Sdk;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.RunImages;

/// <summary>
/// images/node, published once through Modulus.Sdk (with images/base beneath it) and loaded into
/// a real dockerd, run the way the platform runs it: no network, /mnt bind-mounted, supervisord
/// running `start`. One container serves every test: the app in /mnt/app is the supervised one,
/// and start's cases run in the same container by `docker exec`, each on an app folder of its own
/// under /mnt/cases, through a copy of the image's start whose app folder is rewritten (every step
/// but the folder is the real one).
/// </summary>
[NonParallelizable]
public class NodeImageTests
{
    private const string Server = """
        const http = require('http');
        const port = Number(process.env.PORT);
        http.createServer((req, res) => res.end(`hello from node ${process.version} as uid ${process.getuid()}`))
          .listen(port, '127.0.0.1', () => console.log(`listening on ${port}`));

        """;

    private const string SupervisorConf = """
        [program:app]
        command=start
        environment=PORT=8080
        stdout_logfile=/mnt/log/app.log
        redirect_stderr=true

        """;

    /// <summary>A program that says which case ran it and on which Node.js, then exits.</summary>
    private static string Says(string name) => $"console.log('ran {name} on ' + process.version);\n";

    private Dockerd _dockerd = null!;
    private SdkWorkspace _workspace = null!;
    private PublishedNodeImage _image = null!;
    private DockerClient _client = null!;
    private RunContainer _container = null!;

    [OneTimeSetUp]
    public async Task PublishLoadAndStart()
    {
        MntFolder.RequireRoot();
        _dockerd = await Dockerd.StartAsync();
        _workspace = new SdkWorkspace();
        _image = PublishedNodeImage.Publish(_workspace);
        TestContext.Out.WriteLine($"{PublishedNodeImage.Reference}: {_image.Size:N0} bytes compressed");
        await DockerDaemon.LoadAsync(_image.Project.ArchivePath, _dockerd.Host, CancellationToken.None);
        _client = _dockerd.CreateClient();

        var mnt = new MntFolder();
        mnt.WriteFile("app/package.json", """{ "name": "web", "scripts": { "start": "node server.js" }, "engines": { "node": "24.x" } }""");
        mnt.WriteFile("app/server.js", Server);
        mnt.WriteFile("supervisor.conf", SupervisorConf);
        WriteCases(mnt);
        _container = await RunContainer.StartAsync(_client, PublishedNodeImage.Reference, mnt);
    }

    /// <summary>ModulusVerifyImage's checks (docs/sdk.md) on the published images/node, in a container of their own.</summary>
    [Test]
    public async Task The_standards_run_time_checks_pass()
    {
        var log = new RecordingLog();
        var results = await Modulus.Verify.PublishedImageVerification.VerifyAsync(_image.Project.ReportPath, _dockerd.Host,
            log, CancellationToken.None);
        TestContext.Out.WriteLine(string.Join("\n", log.Details.Where(l => l.Contains("run-time checks"))));
        results.ShouldAllBe(r => r.Passed);
    }

    [OneTimeTearDown]
    public async Task RemoveEverything()
    {
        if (_container is not null)
        {
            await _container.DisposeAsync();
            _container.Mnt.Dispose();
        }
        _client?.Dispose();
        _workspace?.Dispose();
        _dockerd?.Dispose();
    }

    private static void WriteCases(MntFolder mnt)
    {
        mnt.WriteFile("cases/npm-start/package.json", """{ "scripts": { "start": "node run.js" } }""");
        mnt.WriteFile("cases/npm-start/run.js", Says("npm-start"));

        mnt.WriteFile("cases/subfolder/web/package.json", """{ "main": "lib/entry.js" }""");
        mnt.WriteFile("cases/subfolder/web/lib/entry.js", Says("subfolder"));

        mnt.WriteFile("cases/no-package/server.js", Says("no-package"));

        mnt.WriteFile("cases/only-in-node_modules/node_modules/dep/package.json", """{ "main": "dep.js" }""");
        mnt.WriteFile("cases/only-in-node_modules/node_modules/dep/dep.js", Says("dep"));
        mnt.WriteFile("cases/only-in-node_modules/index.js", Says("only-in-node_modules"));

        foreach (var (name, range) in new[] { ("engines-22", "^22.0.0"), ("engines-24", ">=24 <26"), ("engines-none", "") })
        {
            var engines = range.Length == 0 ? "" : $$""", "engines": { "node": "{{range}}" }""";
            mnt.WriteFile($"cases/{name}/package.json", $$"""{ "main": "run.js"{{engines}} }""");
            mnt.WriteFile($"cases/{name}/run.js", Says(name));
        }

        mnt.WriteFile("cases/unsatisfiable/package.json", """{ "main": "run.js", "engines": { "node": "^18" } }""");
        mnt.WriteFile("cases/unsatisfiable/run.js", Says("unsatisfiable"));

        mnt.WriteFile("cases/app-json/package.json", """{ "main": "run.js", "engines": { "node": "^26" } }""");
        mnt.WriteFile("cases/app-json/app.json", """{ "engines": { "node": "22.x" } }""");
        mnt.WriteFile("cases/app-json/run.js", Says("app-json"));
    }

    private Task<ExecResult> StartCaseAsync(string name, params string[] environment) =>
        _container.StartOnAsync($"/mnt/cases/{name}", environment);

    [Test]
    public async Task The_supervised_app_answers_http_inside_the_container_and_logs_to_app_log()
    {
        await WaitForAsync(() => _container.Mnt.Read("log/app.log").Contains("listening on 8080"), "the server's first line in app.log");
        var node = $"/opt/modulus/node/{PublishedNodeImage.Versions[^1]}/bin/node";

        var response = await _container.ExecAsync([node, "-e",
            "require('http').get('http://127.0.0.1:8080/', r => { let d = ''; r.on('data', c => d += c); r.on('end', () => console.log(d)); })"]);

        response.ExitCode.ShouldBe(0, response.ToString());
        response.StdOut.Trim().ShouldBe("hello from node v24.22.3 as uid 441", response.ToString());
        _container.Mnt.Read("log/app.log").ShouldContain("start: Node.js 24.22.3 in /mnt/app: /opt/modulus/node/24.22.3/bin/npm start", Case.Sensitive, await _container.DescribeAsync());
    }

    public static IEnumerable<TestCaseData> Cases()
    {
        yield return new TestCaseData("npm-start", "v26.12.1").SetName("A package.json with scripts.start runs npm start on the newest Node.js");
        yield return new TestCaseData("subfolder", "v26.12.1").SetName("The shallowest package.json in a subfolder runs its main");
        yield return new TestCaseData("no-package", "v26.12.1").SetName("Without package.json, server.js runs");
        yield return new TestCaseData("only-in-node_modules", "v26.12.1").SetName("A package.json only inside node_modules is ignored");
        yield return new TestCaseData("engines-22", "v22.23.5").SetName("engines.node ^22.0.0 picks the baked 22");
        yield return new TestCaseData("engines-24", "v24.22.3").SetName("engines.node >=24 <26 picks the baked 24");
        yield return new TestCaseData("engines-none", "v26.12.1").SetName("No engines.node picks the newest baked release");
    }

    [TestCaseSource(nameof(Cases))]
    public async Task Start_runs_the_case_on_the_expected_nodejs(string name, string version)
    {
        var result = await StartCaseAsync(name);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.StdOut.ShouldContain($"ran {name} on {version}", Case.Sensitive, result.ToString());
    }

    [Test]
    public async Task Without_package_json_start_warns_about_each_fallback()
    {
        var result = await StartCaseAsync("no-package");

        result.StdErr.ShouldContain("WARNING:", Case.Sensitive, result.ToString());
        result.StdErr.ShouldContain("server.js", Case.Sensitive, result.ToString());
    }

    [Test]
    public async Task An_unsatisfiable_range_prints_one_error_line_and_fails()
    {
        var result = await StartCaseAsync("unsatisfiable");

        result.ExitCode.ShouldNotBe(0, result.ToString());
        result.StdErr.Trim().ShouldBe(
            "ERROR: no installed Node.js version satisfies engines.node '^18' (from /mnt/cases/unsatisfiable/package.json); available versions: "
            + string.Join(", ", PublishedNodeImage.Versions), result.ToString());
        result.StdOut.ShouldNotContain("ran unsatisfiable", Case.Sensitive, result.ToString());
    }

    [Test]
    public async Task With_MODULUS_CONFIG_ENGINES_NODE_the_range_of_app_json_wins()
    {
        var fromPackage = await StartCaseAsync("app-json");
        var fromAppJson = await StartCaseAsync("app-json", "MODULUS_CONFIG_ENGINES_NODE=1");

        fromPackage.StdOut.ShouldContain("ran app-json on v26.12.1", Case.Sensitive, fromPackage.ToString());
        fromAppJson.StdOut.ShouldContain("ran app-json on v22.23.5", Case.Sensitive, fromAppJson.ToString());
    }

    private async Task WaitForAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"no {what} within 30 s\n{await _container.DescribeAsync()}");
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }
}
