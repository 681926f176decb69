using Docker.DotNet;
using Modulus.Daemon;
using Modulus.Tests.Sdk;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.RunImages;

/// <summary>
/// images/dotnet, published once through Modulus.Sdk (runtime packs restored from the machine's
/// NuGet sources, images/base beneath it) and loaded into a real dockerd, run as the platform runs
/// it: no network, /mnt bind-mounted, supervisord running `start` on an ASP.NET Core app published
/// into /mnt/app. One container serves every test; start's failure cases run in it by `docker exec`
/// on app folders of their own under /mnt/cases (`RunContainer.StartOnAsync`). `docker stop` comes last.
/// The same published image is the base of the baked-in cases: a framework-dependent app with
/// the in-app form and a ProjectReference to images/dotnet's project, run in containers of their own.
/// </summary>
[NonParallelizable]
public class DotnetImageTests
{
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
    private RunContainer _container = null!;
    private PublishedDotnetImage _image = null!;

    [OneTimeSetUp]
    public async Task PublishLoadAndStart()
    {
        MntFolder.RequireRoot();
        _dockerd = await Dockerd.StartAsync();
        _workspace = new SdkWorkspace(machineSources: true);
        _image = PublishedDotnetImage.Publish(_workspace);
        await DockerDaemon.LoadAsync(_image.Project.ArchivePath, _dockerd.Host, CancellationToken.None);
        _client = _dockerd.CreateClient();

        var published = Path.Combine(_workspace.Packages, "..", "web-publish");
        WebApp.Publish(_workspace, published);
        var mnt = new MntFolder();
        mnt.CopyFolder(published, "app");
        mnt.CopyFolder(published, "cases/future");
        mnt.WriteFile("cases/future/web.runtimeconfig.json", WebApp.RuntimeConfigWanting(published, "Microsoft.AspNetCore.App", "99.0.0"));
        mnt.WriteFile("cases/empty/readme.txt", "no app here\n");
        mnt.WriteFile("supervisor.conf", SupervisorConf);
        _container = await RunContainer.StartAsync(_client, PublishedDotnetImage.Reference, mnt);
    }

    /// <summary>
    /// ModulusVerifyImage's checks (docs/sdk.md) on the published images/dotnet: its own start runs
    /// the .NET probe, a framework-dependent app, as the app (it runs nothing else, so the probe's
    /// output and its restart after a crash can only come from the .NET probe).
    /// </summary>
    [Test]
    public async Task The_standards_run_time_checks_pass_with_the_dotnet_probe()
    {
        var log = new RecordingLog();
        var results = await Modulus.Verify.PublishedImageVerification.VerifyAsync(_image.Project.ReportPath, _dockerd.Host,
            log, CancellationToken.None);
        TestContext.Out.WriteLine(string.Join("\n", log.Details.Where(l => l.Contains("run-time checks"))));
        results.ShouldAllBe(r => r.Passed, string.Join("\n", results.Select(r => r.ToString())));
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

    [Test, Order(1)]
    public async Task The_image_holds_each_runtime_laid_out_as_an_installed_dotnet()
    {
        var checks = PublishedDotnetImage.Versions.SelectMany(v => new[]
        {
            $"test -f /usr/share/dotnet/shared/Microsoft.NETCore.App/{v}/libcoreclr.so",
            $"test -f /usr/share/dotnet/shared/Microsoft.NETCore.App/{v}/Microsoft.NETCore.App.deps.json",
            $"test -f /usr/share/dotnet/shared/Microsoft.NETCore.App/{v}/.version",
            $"test -x /usr/share/dotnet/shared/Microsoft.NETCore.App/{v}/libhostpolicy.so",
            $"test ! -e /usr/share/dotnet/shared/Microsoft.NETCore.App/{v}/libhostfxr.so",
            $"test -x /usr/share/dotnet/host/fxr/{v}/libhostfxr.so",
            $"test -f /usr/share/dotnet/shared/Microsoft.AspNetCore.App/{v}/Microsoft.AspNetCore.App.deps.json",
        }).Append("test \"$(readlink -f /usr/bin/dotnet)\" = /usr/share/dotnet/dotnet").Append("test \"$DOTNET_ROOT\" = /usr/share/dotnet");

        var result = await _container.ShellAsync(string.Join(" && ", checks.Select(c => $"{{ {c} || {{ echo 'failed: {c.Replace("'", "")}'; false; }}; }}")));

        result.ExitCode.ShouldBe(0, result.ToString());
    }

    [Test, Order(2)]
    public async Task Dotnet_list_runtimes_lists_the_pinned_runtimes()
    {
        var result = await _container.ExecAsync(["dotnet", "--list-runtimes"]);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.StdOut.Trim().Split('\n').ShouldBe(
            PublishedDotnetImage.Versions.Select(v => $"Microsoft.AspNetCore.App {v} [/usr/share/dotnet/shared/Microsoft.AspNetCore.App]")
                .Concat(PublishedDotnetImage.Versions.Select(v => $"Microsoft.NETCore.App {v} [/usr/share/dotnet/shared/Microsoft.NETCore.App]")),
            result.ToString());
    }

    [Test, Order(2)]
    public async Task Dotnet_info_describes_the_host_and_the_runtimes()
    {
        var result = await _container.ExecAsync(["dotnet", "--info"]);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.StdOut.ShouldContain($"Host:\n  Version:      {PublishedDotnetImage.Versions[^1]}\n", Case.Sensitive, result.ToString());
        result.StdOut.ShouldContain("No SDKs were found.", Case.Sensitive, result.ToString());
        result.StdOut.ShouldContain($"Microsoft.NETCore.App {PublishedDotnetImage.Versions[0]} [/usr/share/dotnet/shared/Microsoft.NETCore.App]", Case.Sensitive, result.ToString());
    }

    [Test, Order(3)]
    public async Task The_supervised_app_answers_http_on_PORT_as_mop_with_its_appsettings_and_logs_to_app_log()
    {
        await WaitForAsync(() => _container.Mnt.Read("log/app.log").Contains("Now listening on: http://[::]:8080"), "Kestrel's listening line in app.log");

        var response = await _container.ExecAsync(["python3", "-c",
            "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:8080/').read().decode())"]);

        response.ExitCode.ShouldBe(0, response.ToString());
        response.StdOut.Trim().ShouldBe($"{WebApp.Greeting} on .NET {PublishedDotnetImage.Versions[0]} as uid 441", response.ToString());
        var log = _container.Mnt.Read("log/app.log");
        log.ShouldContain($"start: .NET app web.dll in /mnt/app on Microsoft.AspNetCore.App {PublishedDotnetImage.Versions[0]}, Microsoft.NETCore.App {PublishedDotnetImage.Versions[0]}: /usr/share/dotnet/dotnet web.dll", Case.Sensitive, log);
        log.ShouldContain("Content root path: /mnt/app", Case.Sensitive, log);
    }

    [Test, Order(4)]
    public async Task An_app_wanting_a_framework_the_image_lacks_gets_one_error_line()
    {
        var result = await _container.StartOnAsync("/mnt/cases/future");

        result.ExitCode.ShouldNotBe(0, result.ToString());
        result.StdErr.Trim().ShouldBe(
            "ERROR: the app needs Microsoft.AspNetCore.App 99.0.0 (rollForward Minor, from /mnt/cases/future/web.runtimeconfig.json), "
            + "which is not in this image; available versions: " + string.Join(", ", PublishedDotnetImage.Versions), result.ToString());
        result.StdOut.ShouldBeEmpty(result.ToString());
    }

    [Test, Order(5)]
    public async Task Without_an_app_start_says_so_and_fails()
    {
        var result = await _container.StartOnAsync("/mnt/cases/empty");

        result.ExitCode.ShouldNotBe(0, result.ToString());
        result.StdErr.Trim().ShouldStartWith("ERROR: no .NET app in /mnt/cases/empty: no *.runtimeconfig.json file", Case.Sensitive, result.ToString());
    }

    [Test, Order(6)]
    public async Task Docker_stop_stops_the_app_gracefully()
    {
        await WaitForAsync(() => _container.Mnt.Read("log/app.log").Contains("Now listening on"), "Kestrel's listening line in app.log");

        await _container.StopAsync();

        var inspected = await _container.InspectAsync();
        inspected.State.ExitCode.ShouldBe(0, await _container.DescribeAsync());
        var log = _container.Mnt.Read("log/app.log");
        log.ShouldContain("Application is shutting down...", Case.Sensitive, log);
        log.ShouldContain("web: stopping gracefully", Case.Sensitive, log);
        log.ShouldContain("web: stopped", Case.Sensitive, log);
    }

    [TestCase(null, "dotnet /app/baked-fd.dll", "dotnet", TestName = "A framework-dependent app baked in with the in-app form runs on images/dotnet (no RuntimeIdentifier: dotnet app.dll)")]
    [TestCase("linux-x64", "/app/baked-fd", "baked-fd", TestName = "A framework-dependent app baked in with the in-app form runs on images/dotnet (linux-x64: the apphost)")]
    public async Task A_framework_dependent_app_baked_in_with_the_in_app_form(string? runtimeIdentifier, string startCommand, string processName)
    {
        var app = _workspace.NewProject($"""
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <Sdk Name="Modulus.Sdk" />
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <ContainerRepository>tests/baked-fd</ContainerRepository>
                {(runtimeIdentifier is null ? "" : $"<RuntimeIdentifier>{runtimeIdentifier}</RuntimeIdentifier><SelfContained>false</SelfContained>")}
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{_image.Project.ProjectPath}" />
              </ItemGroup>
            </Project>
            """, "baked-fd");
        app.WriteFile("Program.cs", WebApp.Program);
        app.WriteFile("appsettings.json", $$"""{ "Greeting": "{{WebApp.Greeting}}" }""");
        app.ImageFolder = Path.Combine([app.Folder, "bin", "Release", "net10.0", .. runtimeIdentifier is null ? Array.Empty<string>() : [runtimeIdentifier], "image"]);

        var published = app.Publish("ModulusBlobCache=" + PublishedDotnetImage.BlobCache);

        published.ExitCode.ShouldBe(0, published.ToString());
        published.Log.ShouldNotContain("NU1505", Case.Sensitive, published.ToString());
        published.Log.ShouldContain("    0 Warning(s)", Case.Sensitive, "restore and publish print no warning: " + published);
        var top = app.ReadTopLayer().Select(e => e.Name).ToList();
        top.ShouldContain("app/baked-fd.dll", published.ToString());
        top.ShouldContain("app/appsettings.json");
        top.ShouldNotContain("app/libcoreclr.so", "framework-dependent: the runtime comes from the base");
        var again = app.Publish("ModulusBlobCache=" + PublishedDotnetImage.BlobCache);
        again.Log.ShouldContain("is up to date", Case.Sensitive, again.ToString());
        again.PropertyValue.ShouldBe(published.PropertyValue);

        await DockerDaemon.LoadAsync(app.ArchivePath, _dockerd.Host, CancellationToken.None);
        var mnt = new MntFolder();
        mnt.WriteFile("supervisor.conf", SupervisorConf.Replace("PORT=8080", "PORT=8123"));
        var run = await RunContainer.StartAsync(_client, "tests/baked-fd:latest", mnt);
        try
        {
            await WaitForAsync(run, () => mnt.Read("log/app.log").Contains("Now listening on: http://[::]:8123"), "Kestrel listening on PORT in app.log");

            var answer = await run.ExecAsync(["python3", "-c",
                "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:8123/').read().decode())"]);
            answer.StdOut.Trim().ShouldBe($"{WebApp.Greeting} on .NET {PublishedDotnetImage.Versions[0]} as uid 441", answer + await run.DescribeAsync());
            var processes = await ProcessTable.ReadAsync(run);
            processes.ShouldContain(p => p.Command == processName && p.Uids == "441 441 441 441", string.Join('\n', processes));
            processes.ShouldContain(p => p.Command == "supervisord" && p.Uids == "441 441 441 441", string.Join('\n', processes));
            var log = mnt.Read("log/app.log");
            log.ShouldContain("Content root path: /app", Case.Sensitive, log);
            var start = await run.ShellAsync("cat \"$(command -v start)\"");
            start.StdOut.ShouldContain($" {startCommand} $EXEC_ARGS", Case.Sensitive, start.ToString());

            await run.StopAsync();

            (await run.InspectAsync()).State.ExitCode.ShouldBe(0, await run.DescribeAsync());
            log = mnt.Read("log/app.log");
            log.ShouldContain("web: stopping gracefully", Case.Sensitive, log);
            log.ShouldContain("web: stopped", Case.Sensitive, log);
        }
        finally
        {
            await run.DisposeAsync();
            mnt.Dispose();
        }
    }

    private Task WaitForAsync(Func<bool> condition, string what) => WaitForAsync(_container, condition, what);

    private static async Task WaitForAsync(RunContainer container, Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"no {what} within 30 s\n{await container.DescribeAsync()}");
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }
}
