using System.Diagnostics;
using Modulus.Contract;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Contract;

/// <summary>The generated my_init, run by python3 on this machine in a temp root (<see cref="ScriptHost"/>).</summary>
public class MyInitTests
{
    private const UnixFileMode Executable = (UnixFileMode)0b111_101_101;

    [Test]
    public void Init_scripts_run_in_name_order_before_the_command_and_the_first_failure_stops_everything()
    {
        ScriptHost.RequirePython();
        using var host = new ScriptHost();
        var init = host.Install("my_init");
        var order = host.HostPath("/order");
        host.WriteFile("/etc/my_init.d/20-second", $"#!/bin/sh\necho second >> {order}\n", Executable);
        host.WriteFile("/etc/my_init.d/10-first", $"#!/bin/sh\necho first >> {order}\n", Executable);
        host.WriteFile("/etc/my_init.d/25-readme", "not executable, so skipped\n");
        host.WriteFile("/etc/my_init.d/30-fails", "#!/bin/sh\nexit 3\n", Executable);
        host.WriteFile("/etc/my_init.d/40-never", $"#!/bin/sh\necho never >> {order}\n", Executable);

        var result = Tools.Run(init, ["--", "sh", "-c", $"echo command >> {order}"], TimeSpan.FromSeconds(30), environment: host.Environment());

        result.ExitCode.ShouldBe(3, result.ToString());
        File.ReadAllText(order).ShouldBe("first\nsecond\n");
        result.StdErr.ShouldContain("30-fails failed with exit code 3");
    }

    [Test]
    public void A_one_shot_command_runs_after_the_init_scripts_and_gives_its_exit_status()
    {
        ScriptHost.RequirePython();
        using var host = new ScriptHost();
        var init = host.Install("my_init");
        var order = host.HostPath("/order");
        host.WriteFile("/etc/my_init.d/10-first", $"#!/bin/sh\necho first >> {order}\n", Executable);

        var result = Tools.Run(init, ["--", "sh", "-c", $"echo command >> {order}; exit 7"], TimeSpan.FromSeconds(30), environment: host.Environment());

        result.ExitCode.ShouldBe(7, result.ToString());
        File.ReadAllText(order).ShouldBe("first\ncommand\n");
    }

    [Test]
    public void Anything_but_dash_dash_and_a_command_is_a_usage_error()
    {
        ScriptHost.RequirePython();
        using var host = new ScriptHost();
        var init = host.Install("my_init");

        var result = Tools.Run(init, ["bash"], TimeSpan.FromSeconds(30), environment: host.Environment());

        result.ExitCode.ShouldBe(2);
        result.StdErr.ShouldContain("usage: my_init [-- COMMAND [ARGS...]]");
    }

    [Test]
    public void Orphans_are_adopted_and_reaped()
    {
        ScriptHost.RequirePython();
        using var host = new ScriptHost();
        var init = host.Install("my_init");
        var probe = host.WriteFile("/probe.py", OrphanProbe);

        var result = Tools.RunChecked(init, ["--", "/usr/bin/python3", probe], TimeSpan.FromSeconds(30), environment: host.Environment());

        result.StdOut.ShouldBe("adopted 1\nzombies 0\n", result.ToString());
    }

    [Test]
    public void As_pid_1_of_a_pid_namespace_orphans_are_adopted_and_reaped()
    {
        ScriptHost.RequirePython();
        var unshare = RequirePidNamespaces();
        using var host = new ScriptHost();
        var init = host.Install("my_init");
        var probe = host.WriteFile("/probe.py", "import os\nprint('init', os.getppid())\n" + OrphanProbe);

        var result = Tools.RunChecked(unshare, [.. Pid1, init, "--", "/usr/bin/python3", probe], TimeSpan.FromSeconds(30), environment: host.Environment());

        result.StdOut.ShouldBe("init 1\nadopted 1\nzombies 0\n", result.ToString());
    }

    [Test]
    public void As_pid_1_sigterm_stops_supervisord_and_exits_0()
    {
        ScriptHost.RequirePython();
        var unshare = RequirePidNamespaces();
        using var host = new ScriptHost();
        var init = host.Install("my_init");
        host.CreateVolume();
        var fakeBin = host.CreateDirectory("/fake-bin");
        host.WriteFile("/fake-bin/supervisord", "#!/bin/sh\necho ready\nexec sleep 1000\n", Executable);

        using var process = ScriptHost.Start(unshare, [.. Pid1, init], host.Environment(fakeBin + ":" + Environment.GetEnvironmentVariable("PATH")));
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadLine().ShouldBe("ready");
        // docker stop signals PID 1 from outside its namespace: here, unshare's child.
        var pid1 = File.ReadAllText($"/proc/{process.Id}/task/{process.Id}/children").Trim();
        Tools.RunChecked("kill", ["-TERM", pid1]);

        process.WaitForExit(10_000).ShouldBeTrue();
        process.ExitCode.ShouldBe(0, stderr.Result);
        stderr.Result.ShouldContain("supervisord stopped");
    }

    [Test]
    public void An_incomplete_volume_is_named_folder_by_folder_and_nothing_starts()
    {
        ScriptHost.RequirePython();
        using var host = new ScriptHost();
        var init = host.Install("my_init");
        host.CreateVolume();
        // In the app folder, which stays writable for my_init's user.
        var order = host.HostPath("/mnt/app/order");
        host.WriteFile("/etc/my_init.d/10-first", $"#!/bin/sh\necho init script >> {order}\n", Executable);
        var fakeBin = host.CreateDirectory("/fake-bin");
        host.WriteFile("/fake-bin/supervisord", $"#!/bin/sh\necho supervisord >> {order}\n", Executable);
        Directory.Delete(host.HostPath("/mnt/tmp"));
        Directory.Delete(host.HostPath("/mnt/notifications"));
        host.WriteFile("/mnt/notifications", "a file where the folder should be\n");
        var (program, arguments, owner) = WithUnwritableLog(host);
        var environment = host.Environment(fakeBin + ":" + Environment.GetEnvironmentVariable("PATH"));

        var result = Tools.Run(program, [.. arguments, init], TimeSpan.FromSeconds(30), environment: environment);
        var startedAnything = File.Exists(order);
        var oneShot = Tools.Run(program, [.. arguments, init, "--", "true"], TimeSpan.FromSeconds(30), environment: environment);

        result.ExitCode.ShouldBe(78, result.ToString());
        startedAnything.ShouldBeFalse("neither an init script nor supervisord may start");
        var expected = "; expected a folder owned by 441:444 with mode 0755 (the owner reads, writes and enters it)";
        var problems = result.StdErr.Split('\n').Where(l => l.EndsWith(expected, StringComparison.Ordinal)).ToArray();
        problems.ShouldBe([
            $"*** my_init: {host.HostPath("/mnt/tmp")} is missing{expected}",
            $"*** my_init: {host.HostPath("/mnt/log")} is owned by {owner} with mode 0555, which uid {(owner == "0:0" ? "441" : CurrentUid())} cannot write{expected}",
            $"*** my_init: {host.HostPath("/mnt/notifications")} is not a folder{expected}",
        ], ignoreOrder: true, result.StdErr);
        result.StdErr.ShouldContain($"the volume {host.HostPath("/mnt")} is not as the run-image standard needs it: starting nothing (exit code 78)");
        result.StdErr.ShouldNotContain("Traceback");
        oneShot.ExitCode.ShouldBe(0, "a one-shot command is not held back by the volume\n" + oneShot);
        File.ReadAllText(order).ShouldBe("init script\n");
    }

    /// <summary>
    /// Makes the volume's log folder one my_init's user cannot write: mode 0555. Root ignores
    /// modes, so as root my_init runs as mop (441:444) over a volume of its own, log left to root.
    /// The wrapper's arguments end with "--", so that my_init's own "--" reaches it.
    /// </summary>
    private static (string Program, string[] Arguments, string LogOwner) WithUnwritableLog(ScriptHost host)
    {
        var log = host.HostPath("/mnt/log");
        if (!Environment.IsPrivilegedProcess)
        {
            Tools.RunChecked("chmod", ["0555", log]);
            return ("env", ["--"], $"{CurrentUid()}:{Tools.RunChecked("id", ["-g"]).StdOut.Trim()}");
        }
        Tools.RunChecked("chown", ["-R", "441:444", host.HostPath("/mnt")]);
        Tools.RunChecked("chown", ["0:0", log]);
        Tools.RunChecked("chmod", ["0555", log]);
        return (Tools.Require("setpriv"), ["--reuid", "441", "--regid", "444", "--clear-groups", "--"], "0:0");
    }

    private static string CurrentUid() => Tools.RunChecked("id", ["-u"]).StdOut.Trim();

    private static readonly string[] Pid1 = ["--pid", "--fork", "--mount-proc"];

    /// <summary>unshare, when this machine lets it make a pid namespace (it needs CAP_SYS_ADMIN; containers often lack it).</summary>
    private static string RequirePidNamespaces()
    {
        var unshare = Tools.Require("unshare");
        var probe = Tools.Run(unshare, [.. Pid1, "true"], TimeSpan.FromSeconds(30));
        if (probe.ExitCode == 0) return unshare;
        var message = "unshare cannot make a pid namespace here: " + probe.StdErr.Trim();
        if (Tools.InCi) Assert.Fail(message + " (CI runs as root, which can)");
        Assert.Ignore(message);
        return unshare;
    }

    /// <summary>
    /// Leaves an orphan behind, checks that my_init (this script's parent) adopted it, lets it
    /// exit, and counts my_init's zombie children.
    /// </summary>
    private const string OrphanProbe = """
        import os, subprocess, time
        init = os.getppid()
        def children(state=None):
            found = []
            for pid in filter(str.isdigit, os.listdir("/proc")):
                try:
                    with open("/proc/%s/status" % pid) as f:
                        fields = dict(line.split(":", 1) for line in f if ":" in line)
                except OSError:
                    continue
                if int(fields["PPid"]) == init and (state is None or fields["State"].strip().startswith(state)):
                    found.append(pid)
            return found
        subprocess.run(["sh", "-c", "sleep 0.5 & exit 0"])
        time.sleep(0.2)
        print("adopted", len(children()) - 1)
        time.sleep(1.0)
        print("zombies", len(children("Z")))
        """;

    [Test]
    public void Sigterm_while_an_init_script_runs_stops_it_and_starts_nothing_else()
    {
        ScriptHost.RequirePython();
        using var host = new ScriptHost();
        var init = host.Install("my_init");
        var order = host.HostPath("/order");
        host.WriteFile("/etc/my_init.d/10-slow", "#!/bin/sh\necho ready\nexec sleep 100\n", Executable);
        host.WriteFile("/etc/my_init.d/20-never", $"#!/bin/sh\necho never >> {order}\n", Executable);

        using var process = ScriptHost.Start(init, ["--", "sh", "-c", $"echo command >> {order}"], host.Environment());
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadLine().ShouldBe("ready");
        Tools.RunChecked("kill", ["-TERM", process.Id.ToString()]);

        process.WaitForExit(10_000).ShouldBeTrue();
        process.ExitCode.ShouldBe(0, stderr.Result);
        File.Exists(order).ShouldBeFalse("nothing may start after a stop request");
        stderr.Result.ShouldContain("stop requested while");
    }

    [Test]
    public void Supervisord_that_ignores_sigterm_is_killed_after_the_stop_timeout()
    {
        ScriptHost.RequirePython();
        using var host = new ScriptHost(RunImageStandard.Default with { StopTimeoutSeconds = 1 });
        var init = host.Install("my_init");
        host.CreateVolume();
        var fakeBin = host.CreateDirectory("/fake-bin");
        host.WriteFile("/fake-bin/supervisord", "#!/bin/sh\ntrap '' TERM\necho ready\nwhile :; do sleep 0.1; done\n", Executable);
        var path = fakeBin + ":" + Environment.GetEnvironmentVariable("PATH");

        using var process = ScriptHost.Start(init, [], host.Environment(path));
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadLine().ShouldBe("ready");
        var clock = Stopwatch.StartNew();
        Tools.RunChecked("kill", ["-TERM", process.Id.ToString()]);

        process.WaitForExit(10_000).ShouldBeTrue();
        clock.Stop();
        process.ExitCode.ShouldBe(1, stderr.Result);
        clock.Elapsed.ShouldBeInRange(TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(4));
        stderr.Result.ShouldContain("supervisord did not stop within 1 seconds; killing it");
    }
}
