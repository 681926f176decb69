using Modulus.Contract;
using Modulus.Layers;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Contract;

/// <summary>The generated start, run by /bin/sh on this machine.</summary>
public class StartScriptTests
{
    [Test]
    public void Start_runs_the_command_in_its_working_directory_with_stdin_from_dev_null_and_exec_args_appended()
    {
        using var host = new ScriptHost(start: root => StartSpec.FromCommand("sh -c 'pwd; readlink /proc/self/fd/0; echo \"args:$*\"' sh", UnixPath.Parse(root + "/mnt/app")));
        var app = host.CreateDirectory("/mnt/app");
        var start = host.Install("start");

        var result = Tools.RunChecked("/bin/sh", [start], environment: new Dictionary<string, string?> { ["EXEC_ARGS"] = "--inspect x" });

        result.StdOut.ShouldBe($"{app}\n/dev/null\nargs:--inspect x\n");
    }

    [Test]
    public void Start_execs_the_command_so_that_it_is_the_supervised_process()
    {
        using var host = new ScriptHost(start: _ => StartSpec.FromCommand("sh -c 'echo $$'", UnixPath.Parse("/")));
        var start = host.Install("start");

        // "exec" keeps the pid: the shell started for start is the command's own process.
        var result = Tools.RunChecked("/bin/sh", ["-c", $"echo $$; exec /bin/sh {start}"]);

        var pids = result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        pids.Length.ShouldBe(2, result.ToString());
        pids[1].ShouldBe(pids[0]);
    }

    [Test]
    public void Start_places_exec_args_where_the_command_puts_them()
    {
        using var host = new ScriptHost(start: _ => StartSpec.FromCommand("echo node $EXEC_ARGS server.js", UnixPath.Parse("/")));
        var start = host.Install("start");

        var result = Tools.RunChecked("/bin/sh", [start], environment: new Dictionary<string, string?> { ["EXEC_ARGS"] = "--max-old-space-size=512" });

        result.StdOut.ShouldBe("node --max-old-space-size=512 server.js\n");
    }

    [Test]
    public void Leading_variable_assignments_reach_the_command()
    {
        using var host = new ScriptHost(start: _ => StartSpec.FromCommand("PORT=8080 GREETING='hello there' sh -c 'echo $PORT $GREETING'", UnixPath.Parse("/")));
        var start = host.Install("start");

        var result = Tools.RunChecked("/bin/sh", [start]);

        result.StdOut.ShouldBe("8080 hello there\n");
    }

    [Test]
    public void A_missing_working_directory_fails_with_one_line()
    {
        using var host = new ScriptHost(start: _ => StartSpec.FromCommand("true", UnixPath.Parse("/nonexistent/app")));
        var start = host.Install("start");

        var result = Tools.Run("/bin/sh", [start]);

        result.ExitCode.ShouldNotBe(0);
        result.StdOut.ShouldBeEmpty();
        result.StdErr.ShouldBe("ERROR: working directory /nonexistent/app does not exist or cannot be entered\n");
    }

    [Test]
    public void A_missing_command_fails_with_one_line()
    {
        using var host = new ScriptHost(start: _ => StartSpec.FromCommand("PORT=8080 no-such-server --port 1", UnixPath.Parse("/")));
        var start = host.Install("start");

        var result = Tools.Run("/bin/sh", [start]);

        result.ExitCode.ShouldBe(127);
        result.StdErr.TrimEnd('\n').Split('\n').ShouldHaveSingleItem().ShouldStartWith("ERROR: command no-such-server not found on PATH");
    }
}
