using System.Text.Json;
using Modulus.Contract;
using Modulus.Diagnostics;
using Modulus.Report;
using Modulus.Tests.Sdk;
using Modulus.Tests.TestSupport;
using Modulus.Verify;

namespace Modulus.Tests.RunImages;

/// <summary>
/// ModulusVerifyImage against a real dockerd: images/base passes every run-time check, with the
/// results in modulus-image.json and image.html; images built on it to break the standard where
/// the build-time validation does not look (a plain image) fail the right check; no daemon is MOD6100.
/// </summary>
[NonParallelizable]
public class VerifyImageTests
{
    private Dockerd _dockerd = null!;
    private SdkWorkspace _workspace = null!;
    private PublishedBaseImage _base = null!;

    [OneTimeSetUp]
    public async Task PublishBase()
    {
        _dockerd = await Dockerd.StartAsync();
        _workspace = new SdkWorkspace();
        _base = PublishedBaseImage.Publish(_workspace);
    }

    [OneTimeTearDown]
    public void CleanUp()
    {
        _workspace?.Dispose();
        _dockerd?.Dispose();
    }

    [Test]
    public async Task The_base_image_passes_every_run_time_check_and_the_results_are_written_and_cleaned_up()
    {
        using var client = _dockerd.CreateClient();
        var containersBefore = (await client.Containers.ListContainersAsync(new() { All = true })).Count;
        var volumesBefore = (await client.Volumes.ListAsync()).Volumes?.Count ?? 0;

        // As `dotnet publish -t:ModulusVerifyImage` (dotnet build takes Debug unless told).
        var run = _base.Project.RunTarget("ModulusVerifyImage", "Configuration=Release", "ModulusBlobCache=" + PublishedBaseImage.BlobCache, "ModulusDockerHost=" + _dockerd.Host);

        run.ExitCode.ShouldBe(0, run.ToString());
        foreach (var line in run.Log.Split('\n').Where(l => l.Contains("run-time checks")).Select(l => l.Trim()).Distinct()) TestContext.Out.WriteLine(line);
        run.Log.ShouldContain("all 7 run-time checks of the standard passed", Case.Sensitive, run.ToString());
        using var report = JsonDocument.Parse(File.ReadAllText(_base.Project.ReportPath));
        var runtime = report.RootElement.GetProperty("runtime").EnumerateArray().ToArray();
        runtime.Select(r => r.GetProperty("code").GetString()).ShouldBe(RuntimeChecks.All.Select(c => c.Error.Code));
        runtime.ShouldAllBe(r => r.GetProperty("passed").GetBoolean());
        var page = ReportPage.TryReadContents(Path.Combine(_base.Project.ImageFolder, ReportPage.FileName))!;
        page.Runtime!.Select(r => r.Code).ShouldBe(RuntimeChecks.All.Select(c => c.Error.Code));
        using (var chromium = new HeadlessChromium())
        {
            var dom = chromium.DumpDom(Path.Combine(_base.Project.ImageFolder, ReportPage.FileName));
            HeadlessChromium.Attribute(dom, "data-runtime-code").ShouldBe(RuntimeChecks.All.Select(c => c.Error.Code), "image.html shows the run-time section");
            HeadlessChromium.Attribute(dom, "data-runtime-verdict").ShouldAllBe(v => v == "pass");
        }
        (await client.Containers.ListContainersAsync(new() { All = true })).Count.ShouldBe(containersBefore, "the container is removed");
        ((await client.Volumes.ListAsync()).Volumes?.Count ?? 0).ShouldBe(volumesBefore, "the temporary /mnt volume is removed");
    }

    [Test]
    public void ModulusVerifyImageAfterPublish_verifies_on_every_publish()
    {
        var run = _base.Project.Publish("ModulusBlobCache=" + PublishedBaseImage.BlobCache, "ModulusDockerHost=" + _dockerd.Host, "ModulusVerifyImageAfterPublish=true");

        run.ExitCode.ShouldBe(0, run.ToString());
        run.Log.ShouldContain("all 7 run-time checks of the standard passed", Case.Sensitive, run.ToString());
    }

    [Test]
    public async Task A_world_writable_folder_the_build_did_not_check_fails_the_writable_scan_and_only_it()
    {
        var image = PlainImageOnBase("open", """<ItemGroup><ModulusDirectory Include="/srv/open" Mode="0777" /></ItemGroup>""");
        var log = new RecordingLog();

        var failure = await Should.ThrowAsync<ModulusException>(() =>
            PublishedImageVerification.VerifyAsync(image.ReportPath, _dockerd.Host, log, CancellationToken.None));

        failure.Code.ShouldBe("MOD6103");
        var failed = log.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        failed.Select(d => d.Error.Code).ShouldBe(["MOD6111"], string.Join("\n", failed.Select(d => d.Text)));
        failed[0].Text.ShouldContain("/srv/open");
    }

    [Test]
    public async Task A_command_that_is_not_the_init_fails_the_init_check()
    {
        var image = PlainImageOnBase("sleeper", """<ItemGroup><ContainerAppCommand Include="/bin/sleep;infinity" /></ItemGroup>""");
        var log = new RecordingLog();

        await Should.ThrowAsync<ModulusException>(() =>
            PublishedImageVerification.VerifyAsync(image.ReportPath, _dockerd.Host, log, CancellationToken.None));

        var failed = log.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Error.Code).ToArray();
        failed.ShouldContain("MOD6113");
        failed.ShouldContain("MOD6110", "no supervisord, so no app");
        failed.ShouldContain("MOD6116", "sleep as PID 1 ignores SIGTERM");
        ReportPage.TryReadContents(Path.Combine(image.ImageFolder, ReportPage.FileName))!.Runtime!.Single(r => r.Code == "MOD6113").Passed.ShouldBeFalse();
    }

    [Test]
    public async Task A_start_that_blocks_forever_fails_the_app_check()
    {
        var image = PlainImageOnBase("blocked", """<ItemGroup><ModulusFile Include="start" Destination="/opt/modulus/bin/" Mode="0755" /></ItemGroup>""",
            ("start", "#!/bin/sh\n# never runs the app\nexec sleep infinity\n"));
        var log = new RecordingLog();

        await Should.ThrowAsync<ModulusException>(() =>
            PublishedImageVerification.VerifyAsync(image.ReportPath, _dockerd.Host, log, CancellationToken.None));

        var failed = log.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        failed.Select(d => d.Error.Code).ShouldContain("MOD6110");
        failed.Single(d => d.Error.Code == "MOD6110").Text.ShouldContain("no probe output");
        failed.Select(d => d.Error.Code).ShouldNotContain("MOD6113", "the init is the image's own");
        failed.Select(d => d.Error.Code).ShouldNotContain("MOD6111");
    }

    [Test]
    public async Task No_daemon_is_MOD6100_and_says_how_to_point_at_one()
    {
        var failure = await Should.ThrowAsync<ModulusException>(() =>
            PublishedImageVerification.VerifyAsync(_base.Project.ReportPath, "unix:///tmp/no-such-daemon.sock", new RecordingLog(), CancellationToken.None));
        failure.Code.ShouldBe("MOD6100");
        failure.Message.ShouldContain("ModulusDockerHost");
    }

    /// <summary>A plain image on the published base: the publish does not check it against the standard, so it can break it.</summary>
    private SampleProject PlainImageOnBase(string name, string items, params (string Name, string Text)[] files)
    {
        var project = _workspace.NewProject($"""
            <Project Sdk="Modulus.Sdk">
              <PropertyGroup>
                <ModulusImageKind>plain</ModulusImageKind>
                <ModulusBaseImage>oci-layout:{_base.Project.LayoutPath}:latest</ModulusBaseImage>
                <ContainerRepository>tests/{name}</ContainerRepository>
              </PropertyGroup>
              {items}
            </Project>
            """, name);
        foreach (var (file, text) in files) project.WriteFile(file, text);
        var build = project.Publish("ModulusBlobCache=" + PublishedBaseImage.BlobCache);
        build.ExitCode.ShouldBe(0, build.ToString());
        return project;
    }
}
