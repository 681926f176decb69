using System.Collections.Concurrent;
using Modulus.Oci;

namespace Modulus.Images;

/// <summary>
/// Counts, per layer, the tars a piece of work decompresses (<see cref="BlobLayer.OpenTar"/>):
/// how a test proves that a publish reads each layer once. Counting is off unless a caller asks,
/// and it follows the async flow that asked, so parallel work is not counted.
/// </summary>
internal static class LayerTarOpens
{
    private static readonly AsyncLocal<ConcurrentDictionary<Digest, int>?> Current = new();

    /// <summary>Counts the opens of the work that follows in this flow, into the returned map (layer digest to opens).</summary>
    public static IReadOnlyDictionary<Digest, int> Start() => Current.Value = new ConcurrentDictionary<Digest, int>();

    public static void Opened(Digest layer) => Current.Value?.AddOrUpdate(layer, 1, (_, n) => n + 1);
}
