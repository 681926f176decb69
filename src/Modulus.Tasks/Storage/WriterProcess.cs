using System.Diagnostics;

namespace Modulus.Storage;

/// <summary>
/// Temporary files and folders carry their writer's PID in their name, so a later publish can
/// remove those of a writer that died without touching those a running publish still writes.
/// </summary>
public static class WriterProcess
{
    /// <summary>This process's mark for the names of what it writes.</summary>
    public static string Mark => Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// True when <paramref name="name"/> starts with "PID." and that process no longer runs. A name
    /// without a PID is never judged gone here; its age decides.
    /// </summary>
    public static bool IsGone(string name)
    {
        var dot = name.IndexOf('.');
        if (dot <= 0 || !int.TryParse(name.AsSpan(0, dot), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid)) return false;
        if (pid == Environment.ProcessId) return false;
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }
}
