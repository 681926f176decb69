using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Docker.DotNet;
using Modulus.Daemon;
using Modulus.Tests.Sdk;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.RunImages;

/// <summary>
/// images/base, published once through Modulus.Sdk and loaded into a real dockerd, run the way the
/// platform runs it: no network, a host folder with the /mnt layout bind-mounted at /mnt. One
/// container with the platform's supervisor.conf serves most tests; the tests that stop their
/// container or leave supervisor.conf out start their own.
/// </summary>
[NonParallelizable]
public class BaseRunImageTests
{
    private Dockerd _dockerd = null!;
    private SdkWorkspace _workspace = null!;
    private PublishedBaseImage _image = null!;
    private DockerClient _client = null!;
    private RunContainer _supervised = null!;

    [OneTimeSetUp]
    public async Task PublishLoadAndStart()
    {
        MntFolder.RequireRoot();
        _dockerd = await Dockerd.StartAsync();
        _workspace = new SdkWorkspace();
        _image = PublishedBaseImage.Publish(_workspace);
        await DockerDaemon.LoadAsync(_image.ArchivePath, _dockerd.Host, CancellationToken.None);
        _client = _dockerd.CreateClient();
        _supervised = await StartAsync(SampleApp.Supervised());
    }

    [OneTimeTearDown]
    public async Task RemoveEverything()
    {
        if (_supervised is not null) await DisposeAsync(_supervised);
        _client?.Dispose();
        _workspace?.Dispose();
        _dockerd?.Dispose();
    }

    [Test]
    public async Task Every_process_of_the_container_runs_as_mop()
    {
        var processes = await ProcessTable.ReadAsync(_supervised);

        var described = string.Join('\n', processes);
        processes.Single(p => p.Pid == 1).Command.ShouldBe("my_init", described);
        processes.ShouldContain(p => p.Command == "supervisord", described);
        processes.ShouldContain(p => p.Command == "sleep", "the app's process\n" + described);
        processes.ShouldAllBe(p => p.Uids == "441 441 441 441", described);
    }

    [Test]
    public async Task Mop_can_write_only_below_mnt()
    {
        string[] outside = ["/etc/x", "/usr/x", "/x", "/tmp/x", "/var/tmp/x", "/opt/modulus/bin/x", "/root/x"];

        var touched = await _supervised.ShellAsync(
            $"for p in {string.Join(' ', outside)} /mnt/tmp/x; do touch $p 2>/dev/null && echo \"wrote $p\"; done; true");
        // Every path of the image's own filesystem, not only the ones above; the runtime's mounts
        // (/proc, /sys, /dev) and the volume are the platform's, and /app-storage is a link into it.
        var writable = await _supervised.ShellAsync(
            "find / \\( -path /proc -o -path /sys -o -path /dev -o -path /mnt \\) -prune -o ! -type l -writable -print");

        touched.StdOut.Trim().ShouldBe("wrote /mnt/tmp/x", touched.ToString());
        writable.StdOut.Trim().ShouldBeEmpty(writable.ToString());
    }

    [Test]
    public async Task The_app_gets_its_temp_folders_and_home_in_mnt()
    {
        await WaitForAsync(_supervised, () => _supervised.Mnt.Read("log/app.log").Contains(SampleApp.EnvironmentLine), "the app's environment line in app.log");

        Owner(_supervised.Mnt.HostPath("tmp/app-was-here")).ShouldBe("441:444");
        Owner(_supervised.Mnt.HostPath("home/app-was-here")).ShouldBe("441:444");
    }

    [Test]
    public async Task The_apps_stdout_and_stderr_land_in_app_log()
    {
        await WaitForAsync(_supervised, () => _supervised.Mnt.Read("log/app.log").Contains(SampleApp.StderrLine), "the app's stderr line in app.log");

        _supervised.Mnt.Read("log/app.log").ShouldContain(SampleApp.Greeting);
    }

    [Test]
    public async Task A_crash_writes_a_notification_with_the_documented_fields_and_the_program_is_restarted()
    {
        var notifications = _supervised.Mnt.HostPath("notifications");
        string[] Crashes() => [.. Directory.GetFiles(notifications, "*-crash-crasher.json").Order()];
        await WaitForAsync(_supervised, () => Crashes().Length >= 2, "two crashes of the crasher", TimeSpan.FromSeconds(30));

        var pids = new List<int>();
        foreach (var file in Crashes().Take(2))
        {
            Path.GetFileName(file).ShouldMatch(@"^\d+-crash-crasher\.json$");
            using var notification = JsonDocument.Parse(File.ReadAllText(file));
            var root = notification.RootElement;
            root.EnumerateObject().Select(p => p.Name).ShouldBe(
                ["event", "program", "group", "pid", "exit_code", "signal", "oom_kill_in_cgroup", "time", "app_log_tail"], ignoreOrder: true);
            root.GetProperty("event").GetString().ShouldBe("crash");
            root.GetProperty("program").GetString().ShouldBe("crasher");
            root.GetProperty("group").GetString().ShouldBe("crasher");
            root.GetProperty("exit_code").GetInt32().ShouldBe(3);
            root.GetProperty("signal").ValueKind.ShouldBe(JsonValueKind.Null);
            root.GetProperty("oom_kill_in_cgroup").GetBoolean().ShouldBeFalse();
            root.GetProperty("time").GetString()!.ShouldMatch(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$");
            root.GetProperty("app_log_tail").EnumerateArray().Select(e => e.GetString()).ShouldContain(SampleApp.Greeting);
            pids.Add(root.GetProperty("pid").GetInt32());
        }
        pids.Distinct().Count().ShouldBe(2, "each crash is of a new process: supervisord restarted the program");
    }

    [Test]
    public async Task Orphans_are_reaped_and_no_zombie_remains()
    {
        var orphansSeen = 0;
        var firstSeen = new Dictionary<int, DateTime>();
        var remaining = new List<ProcessInfo>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(6))
        {
            var processes = await ProcessTable.ReadAsync(_supervised);
            orphansSeen += processes.Count(p => p.ParentPid == 1 && p.Command == "sleep");
            // A zombie lives until its parent waits: PID 1 at once, supervisord on its next tick
            // (once a second). One still there three seconds after it was first seen was not reaped.
            foreach (var zombie in processes.Where(p => p.State == 'Z'))
                if (DateTime.UtcNow - firstSeen.GetValueOrDefault(zombie.Pid, DateTime.UtcNow) > TimeSpan.FromSeconds(3)) remaining.Add(zombie);
                else firstSeen.TryAdd(zombie.Pid, DateTime.UtcNow);
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        orphansSeen.ShouldBeGreaterThan(0, "the orphans program hands its children to PID 1");
        remaining.ShouldBeEmpty(await _supervised.DescribeAsync());
    }

    [Test]
    public async Task Supervisorctl_through_docker_exec_as_mop_shows_the_app_running()
    {
        var status = await AppStatusOnceStartedAsync(_supervised);

        status.ExitCode.ShouldBe(0, status.ToString());
        status.StdOut.ShouldMatch(@"^app\s+RUNNING\s+pid \d+", status.ToString());
    }

    [Test]
    public async Task Dpkg_lists_the_packages_and_supervisord_runs()
    {
        var listed = await _supervised.ExecAsync(["dpkg", "-l", "bash", "coreutils", "supervisor"]);
        var version = await _supervised.ExecAsync(["supervisord", "--version"]);

        listed.ExitCode.ShouldBe(0, listed.ToString());
        foreach (var package in new[] { "bash", "coreutils", "supervisor" })
            listed.StdOut.ShouldMatch($@"(?m)^ii\s+{package}\s", listed.ToString());
        version.ExitCode.ShouldBe(0, version.ToString());
        version.StdOut.Trim().ShouldMatch(@"^\d+\.\d+(\.\d+)?$", version.ToString());
    }

    [Test]
    public async Task Docker_stop_ends_the_container_within_its_timeout_with_exit_code_0()
    {
        var container = await StartAsync(SampleApp.Supervised());
        try
        {
            var clock = Stopwatch.StartNew();
            await container.StopAsync();
            clock.Stop();

            var state = (await container.InspectAsync()).State;
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10), await container.DescribeAsync());
            state.Running.ShouldBeFalse();
            state.ExitCode.ShouldBe(0, await container.DescribeAsync());
            (await container.LogsAsync()).ShouldContain("*** my_init: supervisord stopped");
        }
        finally
        {
            await DisposeAsync(container);
        }
    }

    [Test]
    public async Task Without_supervisor_conf_start_runs_supervised_with_its_output_in_app_log_and_my_init_says_so()
    {
        var container = await StartAsync(SampleApp.WithoutSupervisorConf());
        try
        {
            var status = await AppStatusOnceStartedAsync(container);

            status.StdOut.ShouldMatch(@"^app\s+RUNNING", status.ToString());
            container.Mnt.Read("log/app.log").ShouldContain(SampleApp.StderrLine);
            (await container.LogsAsync()).ShouldContain(
                "*** my_init: /mnt/supervisor.conf does not exist: running start as program 'app' with output to /mnt/log/app.log");
        }
        finally
        {
            await DisposeAsync(container);
        }
    }

    [Test]
    public async Task An_incomplete_volume_ends_my_init_with_one_line_per_folder_and_exit_code_78()
    {
        var mnt = new MntFolder();
        Directory.Delete(mnt.HostPath("tmp"));
        Directory.Delete(mnt.HostPath("notifications"));
        Tools.RunChecked("chown", ["0:0", mnt.HostPath("home")]);
        var container = await RunContainer.StartAsync(_client, PublishedBaseImage.Reference, mnt);
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            var state = (await container.InspectAsync()).State;
            while (state.Running && DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200));
                state = (await container.InspectAsync()).State;
            }
            var logs = await container.LogsAsync();

            state.Running.ShouldBeFalse(logs);
            state.ExitCode.ShouldBe(78, logs);
            const string expected = "; expected a folder owned by 441:444 with mode 0755";
            logs.ShouldContain($"*** my_init: /mnt/tmp is missing{expected}", Case.Sensitive, logs);
            logs.ShouldContain($"*** my_init: /mnt/notifications is missing{expected}", Case.Sensitive, logs);
            logs.ShouldMatch(@"\*\*\* my_init: /mnt/home is owned by 0:0 with mode 0\d{3}, which uid 441 cannot write; expected", logs);
            logs.ShouldNotContain("Traceback", Case.Sensitive, logs);
            logs.ShouldNotContain("supervisord", Case.Sensitive, "nothing started:\n" + logs);
        }
        finally
        {
            await DisposeAsync(container);
        }
    }

    [Test]
    public async Task The_build_prints_the_image_size_and_installs_what_the_committed_lock_file_says()
    {
        var inDaemon = await _client.Images.InspectImageAsync(PublishedBaseImage.Reference);
        TestContext.Out.WriteLine($"{PublishedBaseImage.Reference}: {_image.Size:N0} bytes compressed, {inDaemon.Size:N0} bytes unpacked");

        _image.Build.Log.ShouldMatch(@$"Published image {Regex.Escape(PublishedBaseImage.Reference)}: index sha256:[0-9a-f]{{64}} over "
            + @"linux/amd64 sha256:[0-9a-f]{64} \([0-9.]+ MiB\), linux/arm64 sha256:[0-9a-f]{64} \([0-9.]+ MiB\)", _image.Build.ToString());
        _image.Build.Log.ShouldNotContain("warning MOD", Case.Sensitive, "no setuid files, nothing else to fix: " + _image.Build);
        // The budget README.md records: a package that pulls in much more should be a decision.
        _image.Size.ShouldBeLessThan(48L * 1024 * 1024);
        _image.LockFileText.ShouldBe(PublishedBaseImage.CommittedLockFileText, "the committed lock matches the project: the build did not re-resolve");
    }

    /// <summary>Starts a container on <paramref name="mnt"/> and waits until the app has written its first line.</summary>
    private async Task<RunContainer> StartAsync(MntFolder mnt)
    {
        var container = await RunContainer.StartAsync(_client, PublishedBaseImage.Reference, mnt);
        try
        {
            await WaitForAsync(container, () => mnt.Read("log/app.log").Contains(SampleApp.Greeting), "the app's first line in app.log");
        }
        catch
        {
            await DisposeAsync(container);
            throw;
        }
        return container;
    }

    /// <summary>
    /// `supervisorctl status app` through docker exec as mop, asked until the program has left
    /// STARTING: supervisord counts it as running once it has lived for startsecs (1 s).
    /// </summary>
    private static async Task<ExecResult> AppStatusOnceStartedAsync(RunContainer container)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var status = await container.ExecAsync(["supervisorctl", "status", "app"], user: "mop");
            if (!status.StdOut.Contains("STARTING", StringComparison.Ordinal) || DateTime.UtcNow > deadline) return status;
            await Task.Delay(TimeSpan.FromMilliseconds(300));
        }
    }

    private static async Task DisposeAsync(RunContainer container)
    {
        await container.DisposeAsync();
        container.Mnt.Dispose();
    }

    private static async Task WaitForAsync(RunContainer container, Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"no {what} within {timeout ?? TimeSpan.FromSeconds(20)}\n{await container.DescribeAsync()}");
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }

    private static string Owner(string path) => Tools.RunChecked("stat", ["-c", "%u:%g", path]).StdOut.Trim();
}
