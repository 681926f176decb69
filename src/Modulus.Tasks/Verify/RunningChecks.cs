using System.Diagnostics;
using Docker.DotNet;
using Docker.DotNet.Models;
using Modulus.Contract;

namespace Modulus.Verify;

/// <summary>The run-time checks against one running container of the image, in the order of <see cref="RuntimeChecks.All"/>.</summary>
internal sealed class RunningChecks(DockerClient client, string container, RunImageStandard standard, CancellationToken cancellationToken)
{
    private static readonly TimeSpan ExecTimeout = TimeSpan.FromSeconds(120);

    /// <summary>How long the probe may take to start: supervisord starts it within a second or two.</summary>
    private static readonly TimeSpan ProbeWait = TimeSpan.FromSeconds(20);

    private bool _probeStarted;

    public async Task<IReadOnlyList<RuntimeCheckResult>> RunAsync()
    {
        var identity = await AppIdentityAsync();
        var results = new List<RuntimeCheckResult> { identity, await InitAsync(), await SupervisorctlAsync(), await AppStorageAsync(), await WritableAsync() };
        // An app that never started cannot crash: no need to wait for what cannot come.
        results.Add(_probeStarted ? await CrashAsync() : RuntimeCheckResult.Fail(RuntimeChecks.Crash, "the app never started, so it could not crash"));
        results.Add(await StopAsync());
        return results;
    }

    private async Task<RuntimeCheckResult> AppIdentityAsync()
    {
        var seen = await WaitForAsync(() => ExecAsync(["cat", VerifyProbe.Output], "0"), r => r.ExitCode == 0 && r.StdOut.Length > 0, ProbeWait);
        _probeStarted = seen.ExitCode == 0 && seen.StdOut.Length > 0;
        var wanted = $"uid={standard.Uid} home={standard.Home} temp={standard.TempDirectory}";
        return seen.StdOut.Trim() == wanted
            ? RuntimeCheckResult.Pass(RuntimeChecks.AppIdentity)
            : RuntimeCheckResult.Fail(RuntimeChecks.AppIdentity, seen.ExitCode == 0 ? seen.StdOut.Trim() : $"no probe output within {ProbeWait.TotalSeconds:0} s", standard.Uid, standard.Home, standard.TempDirectory);
    }

    private async Task<RuntimeCheckResult> InitAsync()
    {
        var seen = await ExecAsync(["cat", "/proc/1/cmdline"], "0");
        var command = seen.StdOut.Replace('\0', ' ').Trim();
        var init = standard.Command[0];
        // An init written in a script language runs as "python3 /sbin/my_init": its path is an argument of the interpreter.
        var arguments = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return arguments.Take(2).Contains(init)
            ? RuntimeCheckResult.Pass(RuntimeChecks.Init)
            : RuntimeCheckResult.Fail(RuntimeChecks.Init, command.Length > 0 ? command : seen.ToString(), init);
    }

    private async Task<RuntimeCheckResult> SupervisorctlAsync()
    {
        // As the platform does it: docker exec as the image's user.
        // Without the app started, supervisord is not running either: asked once.
        var seen = await WaitForAsync(() => ExecAsync(["supervisorctl", "status", "app"], null), r => r.StdOut.Contains("RUNNING", StringComparison.Ordinal),
            _probeStarted ? TimeSpan.FromSeconds(15) : TimeSpan.Zero);
        return seen.StdOut.Contains("RUNNING", StringComparison.Ordinal)
            ? RuntimeCheckResult.Pass(RuntimeChecks.Supervisorctl)
            : RuntimeCheckResult.Fail(RuntimeChecks.Supervisorctl, seen.ToString());
    }

    private async Task<RuntimeCheckResult> AppStorageAsync()
    {
        var link = standard.AppStorageLink.Value;
        var target = standard.AppStorage.Value;
        var seen = await ExecAsync(["sh", "-c", $"echo reached > {link}/.modulus-verify && cat {target}/.modulus-verify; rm -f {target}/.modulus-verify"], standard.UserName);
        return seen.StdOut.Trim() == "reached"
            ? RuntimeCheckResult.Pass(RuntimeChecks.AppStorage)
            : RuntimeCheckResult.Fail(RuntimeChecks.AppStorage, link, target, seen.ToString());
    }

    /// <summary>
    /// Every path mop can reach, asked of the kernel (find -writable uses access(2)), not
    /// worked out from modes: /proc, /sys and /dev are the kernel's, the volume is mop's, and
    /// /app-storage is a link into it.
    /// </summary>
    private async Task<RuntimeCheckResult> WritableAsync()
    {
        var pruned = string.Join(" -o ", new[] { "/proc", "/sys", "/dev", standard.Volume.Value, standard.AppStorageLink.Value }.Select(p => $"-path {p}"));
        var seen = await ExecAsync(["sh", "-c", $"find / \\( {pruned} \\) -prune -o -writable -print 2>/dev/null; echo scanned"], standard.UserName);
        var paths = seen.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (paths.LastOrDefault() != "scanned") return RuntimeCheckResult.Fail(RuntimeChecks.Writable, standard.UserName, $"the scan did not finish: {seen}");
        paths.RemoveAt(paths.Count - 1);
        return paths.Count == 0
            ? RuntimeCheckResult.Pass(RuntimeChecks.Writable)
            : RuntimeCheckResult.Fail(RuntimeChecks.Writable, standard.UserName, string.Join(", ", paths.Take(20)) + (paths.Count > 20 ? $" and {paths.Count - 20} more" : ""));
    }

    private async Task<RuntimeCheckResult> CrashAsync()
    {
        var request = await ExecAsync(["touch", VerifyProbe.CrashRequest], standard.UserName);
        if (request.ExitCode != 0) return RuntimeCheckResult.Fail(RuntimeChecks.Crash, $"the crash could not be asked for: {request}");
        var notes = standard.NotificationsDirectory.Value;
        var seen = await WaitForAsync(() => ExecAsync(["sh", "-c", $"ls {notes} | grep -c . ; grep -c started {VerifyProbe.Starts}"], "0"),
            r => Counts(r) is ( > 0, > 1), TimeSpan.FromSeconds(45));
        var (notified, started) = Counts(seen);
        return notified > 0 && started > 1
            ? RuntimeCheckResult.Pass(RuntimeChecks.Crash)
            : RuntimeCheckResult.Fail(RuntimeChecks.Crash, $"after the probe exited 3, {notified} notification(s) in {notes} and {started} start(s) of the app within 45 s");
    }

    /// <summary>The notification files and the app's starts, as the crash check's command prints them; zeros when unreadable.</summary>
    private static (int Notified, int Started) Counts(ExecOutput output) =>
        output.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries) is [var n, var s] && int.TryParse(n, out var notified) && int.TryParse(s, out var started)
            ? (notified, started)
            : (0, 0);

    private async Task<RuntimeCheckResult> StopAsync()
    {
        var timeout = standard.StopTimeoutSeconds;
        var clock = Stopwatch.StartNew();
        // Docker's own grace period a little beyond the standard's, so that a stop that is late is seen as late, not as killed.
        await client.Containers.StopContainerAsync(container, new ContainerStopParameters { WaitBeforeKillSeconds = (uint)(timeout + 2) }, cancellationToken);
        var elapsed = clock.Elapsed.TotalSeconds;
        var state = (await client.Containers.InspectContainerAsync(container, cancellationToken)).State;
        return elapsed <= timeout && state.ExitCode != 137
            ? RuntimeCheckResult.Pass(RuntimeChecks.Stop)
            : RuntimeCheckResult.Fail(RuntimeChecks.Stop, timeout, $"it took {elapsed:0.0} s and exited {state.ExitCode}");
    }

    private async Task<ExecOutput> WaitForAsync(Func<Task<ExecOutput>> probe, Func<ExecOutput, bool> done, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var seen = await probe();
            if (done(seen) || clock.Elapsed > within) return seen;
            await Task.Delay(500, cancellationToken);
        }
    }

    private async Task<ExecOutput> ExecAsync(string[] command, string? user)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ExecTimeout);
        var exec = await client.Exec.ExecCreateContainerAsync(container, new ContainerExecCreateParameters
        {
            Cmd = command, User = user, AttachStdout = true, AttachStderr = true,
        }, timeout.Token);
        using var stream = await client.Exec.StartAndAttachContainerExecAsync(exec.ID, tty: false, timeout.Token);
        var (stdout, stderr) = await stream.ReadOutputToEndAsync(timeout.Token);
        var inspected = await client.Exec.InspectContainerExecAsync(exec.ID, timeout.Token);
        return new ExecOutput(inspected.ExitCode, stdout, stderr);
    }
}

internal sealed record ExecOutput(long ExitCode, string StdOut, string StdErr)
{
    public override string ToString() => $"exit {ExitCode}: {(StdOut + StdErr).Trim()}";
}
