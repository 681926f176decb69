namespace Modulus.Bench;

/// <summary>The process's peak resident set size, as Linux reports it (VmHWM).</summary>
public static class PeakMemory
{
    public static long Kilobytes()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0]);
    }
}
