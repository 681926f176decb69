using System.Diagnostics;
using System.Text.Json;
using Modulus.Contract;
using Modulus.Layers;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Contract;

/// <summary>
/// The generated my_init, supervisord configuration, listener and start working together under
/// Debian's supervisord, as user mop (uid 441) when the tests run as root, in a temp root whose
/// mnt folder stands for the volume.
/// </summary>
public class SupervisedRunTests
{
    [Test]
    public void Without_supervisor_conf_start_runs_supervised_crashes_are_notified_and_sigterm_stops_cleanly()
    {
        ScriptHost.RequirePython();
        var supervisord = Tools.Require("supervisord");
        var app = "/mnt/app";
        // The app crashes once (exit 3 after 2 s, past startsecs, so the exit is unexpected); the
        // restart that the fallback's autorestart gives it then keeps running.
        const string command = "sh -c 'if [ -e crashed-once ]; then echo running again; exec sleep 1000; fi; touch crashed-once; echo hello from the app; sleep 2; exit 3'";
        using var host = new ScriptHost(start: root => StartSpec.FromCommand(command, UnixPath.Parse(root + app)));
        var start = host.Install("start");
        var init = host.Install("my_init");
        host.Install("modulus-notify");
        var config = host.Install("supervisord.conf", host.Rooted);
        host.CreateVolume();

        var asMop = RunAsMop(host);
        var environment = host.Environment(Path.GetDirectoryName(start) + ":" + Path.GetDirectoryName(supervisord) + ":/usr/bin:/bin");
        environment["HOME"] = host.HostPath("/mnt/home");
        using var process = ScriptHost.Start(asMop.Program, [.. asMop.Arguments, init], environment);
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            var appLog = host.HostPath("/mnt/log/app.log");
            ScriptHost.WaitUntil(() => File.Exists(appLog) && File.ReadAllText(appLog).Contains("hello from the app"),
                TimeSpan.FromSeconds(20), () => "app.log\n" + Logs(host));
            var notifications = host.HostPath("/mnt/notifications");
            ScriptHost.WaitUntil(() => Directory.GetFiles(notifications, "*.json").Length > 0, TimeSpan.FromSeconds(20), () => "a notification\n" + Logs(host));
            ScriptHost.WaitUntil(() => File.ReadAllText(appLog).Contains("running again"), TimeSpan.FromSeconds(20), () => "the restarted app\n" + Logs(host));

            // Reaching the socket as mop, with the configuration's credentials, gives the restarted
            // program's state: RUNNING once it has stayed up for startsecs (1 s).
            Tools.Result status = null!;
            ScriptHost.WaitUntil(() =>
            {
                status = Tools.Run(asMop.Program, [.. asMop.Arguments, Path.Combine(Path.GetDirectoryName(supervisord)!, "supervisorctl"), "-c", config, "status", "app"],
                    TimeSpan.FromSeconds(20), environment: environment);
                return status.StdOut.StartsWith("app ", StringComparison.Ordinal) && !status.StdOut.Contains("STARTING", StringComparison.Ordinal);
            }, TimeSpan.FromSeconds(20), () => "supervisorctl status\n" + status + Logs(host));
            status.StdOut.ShouldMatch(@"^app\s+RUNNING\s+pid \d+", status.ToString());

            var clock = Stopwatch.StartNew();
            Tools.RunChecked("kill", ["-TERM", process.Id.ToString()]);
            process.WaitForExit(TimeSpan.FromSeconds(host.Standard.StopTimeoutSeconds + 5)).ShouldBeTrue(Logs(host));
            clock.Stop();

            process.ExitCode.ShouldBe(0, stderr.Result + Logs(host));
            stderr.Result.ShouldContain("supervisor.conf does not exist: running start as program 'app'");
            using var crash = JsonDocument.Parse(File.ReadAllText(Directory.GetFiles(notifications, "*.json").Order().First()));
            crash.RootElement.GetProperty("event").GetString().ShouldBe("crash");
            crash.RootElement.GetProperty("exit_code").GetInt32().ShouldBe(3);
            crash.RootElement.GetProperty("app_log_tail").EnumerateArray().Select(e => e.GetString()).ShouldContain("hello from the app");
            File.ReadAllText(host.HostPath("/mnt/log/supervisord.log")).ShouldNotContain("CRIT", customMessage: Logs(host));
            Directory.GetFiles(host.HostPath("/mnt/log")).Select(Path.GetFileName).ShouldBe(
                ["app.log", "modulus-notify.log", "supervisord.log"], ignoreOrder: true);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            TestContext.Out.WriteLine("my_init said:\n" + stderr.Result);
        }
    }

    private sealed record Wrapper(string Program, string[] Arguments);

    /// <summary>As root, setpriv runs the image's processes as mop, who owns the volume's folders; otherwise they run as the current user.</summary>
    private static Wrapper RunAsMop(ScriptHost host)
    {
        if (Environment.UserName != "root") return new Wrapper("env", []);
        Tools.RunChecked("chown", ["-R", "441:444", host.HostPath("/mnt")]);
        return new Wrapper(Tools.Require("setpriv"), ["--reuid", "441", "--regid", "444", "--clear-groups"]);
    }

    private static string Logs(ScriptHost host) =>
        string.Concat(Directory.Exists(host.HostPath("/mnt/log"))
            ? Directory.GetFiles(host.HostPath("/mnt/log")).Select(f => $"--- {Path.GetFileName(f)} ---\n{File.ReadAllText(f)}\n")
            : []);
}
