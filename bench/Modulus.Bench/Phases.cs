using System.Diagnostics;

namespace Modulus.Bench;

/// <summary>
/// Stopwatch phases of one run, printed to stderr with the peak memory so a slow row shows
/// where its time went without a profiler.
/// </summary>
public sealed class Phases
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<(string Name, TimeSpan Elapsed)> _phases = [];
    private TimeSpan _last;

    public void End(string name)
    {
        var now = _clock.Elapsed;
        _phases.Add((name, now - _last));
        _last = now;
    }

    public void Print(TextWriter writer)
    {
        foreach (var (name, elapsed) in _phases)
            writer.WriteLine($"phase {name}: {elapsed.TotalMilliseconds:F0} ms");
        writer.WriteLine($"total: {_clock.Elapsed.TotalMilliseconds:F0} ms, peak RSS: {PeakMemory.Kilobytes() / 1024.0:F1} MB");
    }
}
