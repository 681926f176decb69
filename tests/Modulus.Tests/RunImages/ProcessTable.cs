namespace Modulus.Tests.RunImages;

/// <summary>One process as /proc/PID/stat and /proc/PID/status describe it.</summary>
/// <param name="Uids">Its real, effective, saved and filesystem uids, for example "441 441 441 441".</param>
internal sealed record ProcessInfo(int Pid, string Command, char State, int ParentPid, string Uids);

/// <summary>The processes of a container, read from its /proc (no ps needed).</summary>
internal static class ProcessTable
{
    // One line per process: "Uid:\tR\tE\tS\tF|PID (COMM) STATE PPID ...". A process that ends
    // while the loop runs is skipped.
    private const string Script = """
        for d in /proc/[0-9]*; do
          s=$(cat "$d/stat" 2>/dev/null) && u=$(grep '^Uid:' "$d/status" 2>/dev/null) && echo "$u|$s"
        done
        """;

    public static async Task<IReadOnlyList<ProcessInfo>> ReadAsync(RunContainer container)
    {
        var result = await container.ShellAsync(Script);
        result.ExitCode.ShouldBe(0, result.ToString());
        return [.. result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Parse)];
    }

    private static ProcessInfo Parse(string line)
    {
        var (status, stat) = (line[..line.IndexOf('|')], line[(line.IndexOf('|') + 1)..]);
        var uids = string.Join(' ', status.Split('\t', StringSplitOptions.RemoveEmptyEntries).Skip(1));
        // The command may hold spaces and parentheses: it ends at the last ')'.
        var open = stat.IndexOf('(');
        var close = stat.LastIndexOf(')');
        var rest = stat[(close + 2)..].Split(' ');
        return new ProcessInfo(int.Parse(stat[..(open - 1)]), stat[(open + 1)..close], rest[0][0], int.Parse(rest[1]), uids);
    }
}
