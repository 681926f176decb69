using System.Text.Json;
using Docker.DotNet;
using Modulus.Daemon;
using Modulus.Tests.Sdk;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.RunImages;

/// <summary>
/// What the base run image promises when an app meets a limit at run time, in a real dockerd:
/// the kernel's out-of-memory kill under a container memory limit (docs/notifications.md) and the
/// rotation of app.log at the standard's LogMaxBytes, keeping LogBackups (docs/contract.md).
/// images/base is published once with a small LogMaxBytes so that rotation takes megabytes, not
/// the default's 50MB times 11; each test runs its own container on the fallback supervisor
/// configuration my_init writes, which is the image's own (the platform's supervisor.conf sets
/// its own sizes).
/// </summary>
[NonParallelizable]
public class RunTimeLimitsTests
{
    private const string Reference = "modulus/run-base-small-logs:latest";
    private const int LogMaxBytes = 1024 * 1024;
    private const int LogBackups = 3;

    /// <summary>
    /// Far above what my_init, supervisord and the listener use together (about 40 MiB), so that the
    /// growing app is the one process the kernel picks.
    /// </summary>
    private const long MemoryLimit = 128L * 1024 * 1024;

    // Sleeps past supervisord's startsecs (1 s) first: a program that dies before is "backing off",
    // not "exited", and supervisord sends no event for it. Touches every page it allocates.
    private const string MemoryHog = """
        #!/usr/bin/python3
        import time
        print("hog: allocating", flush=True)
        time.sleep(2)
        chunks = []
        while True:
            chunks.append("x" * (1 << 20))
            if len(chunks) % 16 == 0:
                print("hog: %d MiB" % len(chunks), flush=True)

        """;

    // 60,000 numbered lines of 100 bytes: about six times LogMaxBytes, so that more files rotate
    // out than LogBackups keeps.
    private const string LogWriter = """
        #!/usr/bin/python3
        import sys, time
        for n in range(60000):
            sys.stdout.write(("line %06d " % n).ljust(99, ".") + "\n")
        print("writer: done", flush=True)
        time.sleep(3600)

        """;

    private Dockerd _dockerd = null!;
    private SdkWorkspace _workspace = null!;
    private DockerClient _client = null!;

    [OneTimeSetUp]
    public async Task PublishAndLoad()
    {
        MntFolder.RequireRoot();
        _dockerd = await Dockerd.StartAsync();
        _workspace = new SdkWorkspace();
        var image = PublishedBaseImage.Publish(_workspace,
            "ContainerRepository=modulus/run-base-small-logs", "ModulusLogMaxBytes=1MB", $"ModulusLogBackups={LogBackups}");
        await DockerDaemon.LoadAsync(image.ArchivePath, _dockerd.Host, CancellationToken.None);
        _client = _dockerd.CreateClient();
    }

    [OneTimeTearDown]
    public void RemoveEverything()
    {
        _client?.Dispose();
        _workspace?.Dispose();
        _dockerd?.Dispose();
    }

    [Test]
    public async Task An_app_killed_for_memory_writes_an_oom_notification_each_time_and_is_restarted()
    {
        await RequireMemoryLimitsAsync();
        using var mnt = new MntFolder();
        mnt.WriteFile("app/start", MemoryHog, executable: true);
        await using var container = await RunContainer.StartAsync(_client, Reference, mnt, MemoryLimit);
        string[] Notifications() => [.. Directory.GetFiles(mnt.HostPath("notifications"), "*.json").Order()];

        await WaitForAsync(container, () => Notifications().Length >= 2, "two notifications of the app's death", TimeSpan.FromSeconds(60));

        var pids = new List<int>();
        foreach (var file in Notifications().Take(2))
        {
            var described = $"{Path.GetFileName(file)}:\n{File.ReadAllText(file)}\n{await container.DescribeAsync()}";
            Path.GetFileName(file).ShouldMatch(@"^\d+-oom-app\.json$", described);
            using var notification = JsonDocument.Parse(File.ReadAllText(file));
            var root = notification.RootElement;
            root.GetProperty("event").GetString().ShouldBe("oom", described);
            root.GetProperty("program").GetString().ShouldBe("app", described);
            root.GetProperty("group").GetString().ShouldBe("app", described);
            root.GetProperty("signal").GetString().ShouldBe("SIGKILL", described);
            root.GetProperty("exit_code").ValueKind.ShouldBe(JsonValueKind.Null, described);
            root.GetProperty("oom_kill_in_cgroup").GetBoolean().ShouldBeTrue(described);
            root.GetProperty("app_log_tail").EnumerateArray().Select(e => e.GetString()).ShouldContain("hog: allocating", described);
            pids.Add(root.GetProperty("pid").GetInt32());
        }
        pids.Distinct().Count().ShouldBe(2, "each kill is of a new process: supervisord restarted the app");
        var state = (await container.InspectAsync()).State;
        state.Running.ShouldBeTrue("the kernel killed the app, not PID 1:\n" + await container.DescribeAsync());
    }

    [Test]
    public async Task App_log_rotates_at_log_max_bytes_and_keeps_log_backups_files()
    {
        using var mnt = new MntFolder();
        mnt.WriteFile("app/start", LogWriter, executable: true);
        await using var container = await RunContainer.StartAsync(_client, Reference, mnt);

        await WaitForAsync(container, () => mnt.Read("log/app.log").Contains("writer: done"), "end of the writer's output in app.log", TimeSpan.FromSeconds(60));

        var logs = Directory.GetFiles(mnt.HostPath("log"), "app.log*").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        var sizes = string.Join('\n', logs.Select(name => $"{name}: {new FileInfo(mnt.HostPath("log/" + name)).Length:N0} bytes"));
        logs.ShouldBe(["app.log", .. Enumerable.Range(1, LogBackups).Select(n => $"app.log.{n}")],
            $"app.log and exactly LogBackups ({LogBackups}) rotated files:\n{sizes}");
        foreach (var rotated in logs.Skip(1))
        {
            // supervisord rotates after the write that reaches the size: a file may pass it by one
            // read of the app's output (at most 128 KiB, supervisor's dispatchers).
            var length = new FileInfo(mnt.HostPath("log/" + rotated)).Length;
            length.ShouldBeInRange(LogMaxBytes, LogMaxBytes + 131072, $"{rotated} rotated at LogMaxBytes ({LogMaxBytes:N0}):\n{sizes}");
        }
        var kept = string.Concat(logs.Select(name => mnt.Read("log/" + name)));
        kept.ShouldNotContain("line 000000", Case.Sensitive, "the oldest output rotated out of the last backup:\n" + sizes);
        kept.ShouldContain("line 059999", Case.Sensitive, sizes);
        mnt.Read("log/app.log.1").ShouldNotContain("writer: done", Case.Sensitive, "app.log is the newest file:\n" + sizes);
    }

    /// <summary>
    /// Docker drops a memory limit the kernel cannot enforce with a warning, and the app would then
    /// grow until the machine runs out: a machine without the memory controller cannot run this test.
    /// </summary>
    private async Task RequireMemoryLimitsAsync()
    {
        var info = await _client.System.GetSystemInfoAsync();
        if (info.MemoryLimit && info.SwapLimit) return;
        var message = $"dockerd cannot enforce a container memory limit here (docker info: MemoryLimit={info.MemoryLimit}, " +
            $"SwapLimit={info.SwapLimit}, cgroup version {info.CgroupVersion}, driver {info.CgroupDriver}): the kernel needs the " +
            "cgroup memory controller (cgroup v2 with \"memory\" in /sys/fs/cgroup/cgroup.subtree_control, or cgroup v1 with " +
            "/sys/fs/cgroup/memory mounted) and swap accounting (swapaccount=1 on cgroup v1)";
        if (Tools.InCi) Assert.Fail(message);
        Assert.Ignore(message);
    }

    private static async Task WaitForAsync(RunContainer container, Func<bool> condition, string what, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"no {what} within {timeout}\n{await container.DescribeAsync()}");
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }
}
