using System.Diagnostics;

namespace Modulus.Bench;

/// <summary>
/// Stopwatch phases of one run, printed to stderr with the peak memory so a slow row shows
/// where its time went without a profiler. With MODULUS_BENCH_HEAP=1 each phase also says what
/// the managed heap holds at its end, after a full collection (which costs time: profile with it,
/// never time with it), to tell what a phase keeps from what the collector has not yet returned.
/// </summary>
public sealed class Phases
{
    private static readonly bool MeasureHeap = Environment.GetEnvironmentVariable("MODULUS_BENCH_HEAP") == "1";

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<(string Name, TimeSpan Elapsed, long Peak, long? Heap)> _phases = [];
    private TimeSpan _last;

    public void End(string name)
    {
        var now = _clock.Elapsed;
        _phases.Add((name, now - _last, PeakMemory.Kilobytes(), MeasureHeap ? GC.GetTotalMemory(forceFullCollection: true) : null));
        _last = _clock.Elapsed;
    }

    public void Print(TextWriter writer)
    {
        foreach (var (name, elapsed, peak, heap) in _phases)
            writer.WriteLine($"phase {name}: {elapsed.TotalMilliseconds:F0} ms, peak RSS so far {peak / 1024.0:F1} MB"
                + (heap is { } bytes ? $", heap kept {bytes / 1048576.0:F1} MB" : ""));
        writer.WriteLine($"total: {_clock.Elapsed.TotalMilliseconds:F0} ms, peak RSS: {PeakMemory.Kilobytes() / 1024.0:F1} MB");
        if (!MeasureHeap) return;
        var gc = GC.GetGCMemoryInfo(GCKind.Any);
        writer.WriteLine($"last collection: heap {gc.HeapSizeBytes / 1048576.0:F1} MB, fragmented {gc.FragmentedBytes / 1048576.0:F1} MB, committed {gc.TotalCommittedBytes / 1048576.0:F1} MB, collections gen0 {GC.CollectionCount(0)} gen1 {GC.CollectionCount(1)} gen2 {GC.CollectionCount(2)}");
    }
}
