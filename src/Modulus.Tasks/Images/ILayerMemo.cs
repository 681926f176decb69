using Modulus.Layers;
using Modulus.Oci;

namespace Modulus.Images;

/// <summary>
/// What a view has learnt of layers it read, by the diffID of each (a layer never changes, so its
/// entries are read once per machine, not once per publish): the entries in archive order, with
/// the bodies the read kept. Only a layer <see cref="LayerReader"/> read in full, and so checked,
/// whose tar was its diffID, is remembered: the memo is the verdict of that check, kept with the
/// digest it was made for.
/// </summary>
public interface ILayerMemo
{
    /// <summary>The entries of the layer whose tar has <paramref name="diffId"/>, as remembered; null when none is, or it cannot be read.</summary>
    IReadOnlyList<LayerReaderEntry>? Recall(Digest diffId);

    /// <summary>Remembers the entries of a full read of the layer whose tar has <paramref name="diffId"/>.</summary>
    void Remember(Digest diffId, IReadOnlyList<LayerReaderEntry> entries);
}
