namespace Modulus.Bench;

/// <summary>A temporary folder for a run's blob store, deleted afterwards so every run starts cold.</summary>
public sealed class ScratchFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("modulus-bench-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
