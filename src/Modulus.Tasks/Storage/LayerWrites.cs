using System.Collections.Concurrent;
using Modulus.Oci;

namespace Modulus.Storage;

/// <summary>
/// Records the layers a piece of work actually tars and compresses (a memo hit is not a write):
/// how a test proves that a rebuild writes only the layers whose inputs changed. Recording is off
/// unless a caller asks, and it follows the async flow that asked, so parallel work is not counted.
/// </summary>
internal static class LayerWrites
{
    private static readonly AsyncLocal<ConcurrentQueue<Digest>?> Current = new();

    /// <summary>Records the writes of the work that follows in this flow, into the returned queue (the diffIDs written, in order).</summary>
    public static IReadOnlyCollection<Digest> Start() => Current.Value = new ConcurrentQueue<Digest>();

    public static void Written(Digest diffId) => Current.Value?.Enqueue(diffId);
}
