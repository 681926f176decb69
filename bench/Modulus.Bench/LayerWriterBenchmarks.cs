using BenchmarkDotNet.Attributes;
using Modulus.Layers;

namespace Modulus.Bench;

/// <summary>
/// The layer writer in process, without the process start and JIT that row 1's whole-command
/// timing includes: the difference between the two is the fixed cost a publish pays once.
/// The tree is the folder named by MODULUS_BENCH_TREE (bench/run.sh passes row 1's input).
/// </summary>
[MemoryDiagnoser]
public class LayerWriterBenchmarks
{
    private string _folder = string.Empty;
    private IReadOnlyList<LayerEntry> _entries = [];

    [GlobalSetup]
    public void Setup()
    {
        _folder = Environment.GetEnvironmentVariable("MODULUS_BENCH_TREE")
            ?? throw new InvalidOperationException("Set MODULUS_BENCH_TREE to the folder to write as a layer.");
        _entries = HostTree.Entries(_folder);
    }

    [Benchmark]
    public LayerDigests WriteLayer() => LayerWriter.Write(_entries, Stream.Null, LayerWriterOptions.Default);

    [Benchmark]
    public IReadOnlyList<LayerEntry> ScanTree() => HostTree.Entries(_folder);
}
