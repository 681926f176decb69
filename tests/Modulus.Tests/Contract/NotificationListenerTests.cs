using System.Text;
using System.Text.Json;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Contract;

/// <summary>The generated event listener, fed supervisor's event protocol on stdin by python3 on this machine.</summary>
public class NotificationListenerTests
{
    /// <summary>
    /// Runs the listener with os.rename wrapped: each rename is printed to stderr with whether the
    /// source already held complete JSON, which is what makes the write atomic for a reader.
    /// </summary>
    private const string RenameProbe = """
        import json, os, runpy, sys
        real_rename = os.rename
        def rename(source, target):
            with open(source) as f:
                json.load(f)
            sys.stderr.write("RENAME %s -> %s complete\n" % (source, target))
            real_rename(source, target)
        os.rename = rename
        sys.argv = sys.argv[1:]
        runpy.run_path(sys.argv[0], run_name="__main__")
        """;

    [Test]
    public void Unexpected_exits_and_fatal_programs_become_one_json_file_each_written_by_rename()
    {
        var python = Tools.Require("python3");
        using var host = new ScriptHost();
        var listener = host.Install("modulus-notify");
        host.WriteFile("/mnt/log/app.log", string.Concat(Enumerable.Range(1, 30).Select(i => $"app line {i}\n")));
        host.WriteFile("/mnt/log/supervisord.log",
            "2026-11-29 18:00:00,000 INFO spawned: 'app' with pid 1234\n2026-11-29 18:00:05,000 WARN exited: app (exit status 3; not expected)\n");
        var input = Event("PROCESS_STATE_EXITED", "processname:app groupname:app from_state:RUNNING expected:0 pid:1234")
            + Event("PROCESS_STATE_EXITED", "processname:app groupname:app from_state:RUNNING expected:1 pid:1235")
            + Event("PROCESS_STATE_FATAL", "processname:app groupname:app from_state:BACKOFF");

        var result = ScriptHost.RunWithInput(python, ["-c", RenameProbe, listener], input, host.Environment());

        result.ExitCode.ShouldBe(0, result.ToString());
        result.StdOut.ShouldBe("READY\nRESULT 2\nOKREADY\nRESULT 2\nOKREADY\nRESULT 2\nOKREADY\n");
        var files = Directory.GetFiles(host.HostPath("/mnt/notifications")).Order().ToArray();
        files.Select(Path.GetFileName).ShouldAllBe(name => !name!.StartsWith('.'), "no temp file may stay behind");
        files.Length.ShouldBe(2, "an expected exit is no event");
        result.StdErr.Split('\n').Count(l => l.StartsWith("RENAME ") && l.EndsWith(" complete")).ShouldBe(2, result.StdErr);

        using var crash = JsonDocument.Parse(File.ReadAllText(files[0]));
        crash.RootElement.GetProperty("event").GetString().ShouldBe("crash");
        crash.RootElement.GetProperty("program").GetString().ShouldBe("app");
        crash.RootElement.GetProperty("pid").GetInt32().ShouldBe(1234);
        crash.RootElement.GetProperty("exit_code").GetInt32().ShouldBe(3);
        crash.RootElement.GetProperty("signal").ValueKind.ShouldBe(JsonValueKind.Null);
        crash.RootElement.GetProperty("time").GetString()!.ShouldMatch(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$");
        var tail = crash.RootElement.GetProperty("app_log_tail").EnumerateArray().Select(e => e.GetString()).ToArray();
        tail.Length.ShouldBe(20);
        tail[^1].ShouldBe("app line 30");

        using var fatal = JsonDocument.Parse(File.ReadAllText(files[1]));
        fatal.RootElement.GetProperty("event").GetString().ShouldBe("fatal");
        fatal.RootElement.GetProperty("pid").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Test]
    public void A_kill_by_sigkill_while_the_cgroup_counts_an_oom_kill_is_an_oom_event()
    {
        var python = Tools.Require("python3");
        using var host = new ScriptHost();
        var listener = host.Install("modulus-notify");
        var memoryEvents = host.WriteFile("/sys/fs/cgroup/memory.events", "low 0\nhigh 0\nmax 4\noom 1\noom_kill 1\n");
        host.WriteFile("/mnt/log/supervisord.log", "2026-11-29 18:00:05,000 WARN exited: web (terminated by SIGKILL; not expected)\n");

        using var process = ScriptHost.Start(python, [listener], host.Environment());
        var stderr = process.StandardError.ReadToEndAsync();
        Read(process, "READY\n");
        // The counter goes up after the listener took its baseline, as when the kernel kills the program.
        File.WriteAllText(memoryEvents, "low 0\nhigh 0\nmax 9\noom 2\noom_kill 2\n");
        process.StandardInput.Write(Event("PROCESS_STATE_EXITED", "processname:web groupname:web from_state:RUNNING expected:0 pid:77"));
        process.StandardInput.Flush();
        Read(process, "RESULT 2\nOKREADY\n");
        process.StandardInput.Close();
        process.WaitForExit(10_000).ShouldBeTrue();

        var file = Directory.GetFiles(host.HostPath("/mnt/notifications")).ShouldHaveSingleItem(stderr.Result);
        using var oom = JsonDocument.Parse(File.ReadAllText(file));
        oom.RootElement.GetProperty("event").GetString().ShouldBe("oom");
        oom.RootElement.GetProperty("signal").GetString().ShouldBe("SIGKILL");
        oom.RootElement.GetProperty("exit_code").ValueKind.ShouldBe(JsonValueKind.Null);
        oom.RootElement.GetProperty("oom_kill_in_cgroup").GetBoolean().ShouldBeTrue();
    }

    [Test]
    public void A_sigkill_without_an_oom_kill_is_a_crash()
    {
        var python = Tools.Require("python3");
        using var host = new ScriptHost();
        var listener = host.Install("modulus-notify");
        host.WriteFile("/sys/fs/cgroup/memory.events", "oom 0\noom_kill 0\n");
        host.WriteFile("/mnt/log/supervisord.log", "2026-11-29 18:00:05,000 WARN exited: web (terminated by SIGKILL; not expected)\n");

        var result = ScriptHost.RunWithInput(python, [listener],
            Event("PROCESS_STATE_EXITED", "processname:web groupname:web from_state:RUNNING expected:0 pid:77"), host.Environment());

        result.ExitCode.ShouldBe(0, result.ToString());
        using var crash = JsonDocument.Parse(File.ReadAllText(Directory.GetFiles(host.HostPath("/mnt/notifications")).ShouldHaveSingleItem()));
        crash.RootElement.GetProperty("event").GetString().ShouldBe("crash");
        crash.RootElement.GetProperty("signal").GetString().ShouldBe("SIGKILL");
    }

    /// <summary>A supervisor event: the header line, whose len counts the payload's bytes, then the payload.</summary>
    private static string Event(string name, string payload) =>
        $"ver:3.0 server:supervisor serial:1 pool:modulus-notify poolserial:1 eventname:{name} len:{Encoding.UTF8.GetByteCount(payload)}\n{payload}";

    private static void Read(System.Diagnostics.Process process, string expected)
    {
        var buffer = new char[expected.Length];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = process.StandardOutput.Read(buffer, read, buffer.Length - read);
            if (n == 0) break;
            read += n;
        }
        new string(buffer, 0, read).ShouldBe(expected);
    }
}
