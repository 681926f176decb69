using System.Collections.Concurrent;

namespace Modulus.Layers;

/// <summary>
/// Records how often a piece of work opens each host file a layer is made from: how a test proves
/// that a publish reads a project's file no more often than it must (once to hash it, once to
/// write it). Recording is off unless a caller asks, and it follows the async flow that asked.
/// </summary>
internal static class SourceReads
{
    private static readonly AsyncLocal<ConcurrentDictionary<string, int>?> Current = new();

    /// <summary>Records the opens of the work that follows in this flow: full host path → times opened.</summary>
    public static IReadOnlyDictionary<string, int> Start() => Current.Value = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);

    public static void Opened(string hostPath) => Current.Value?.AddOrUpdate(hostPath, 1, (_, n) => n + 1);
}
