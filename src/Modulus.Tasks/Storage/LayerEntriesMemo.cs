using Modulus.Images;
using Modulus.Layers;
using Modulus.Oci;

namespace Modulus.Storage;

/// <summary>
/// The entries of layers an image view has read, remembered in the blob store by diffID
/// (<c>ROOT/layer-entries/v3/ALGORITHM/HEX</c>, <see cref="LayerEntriesFile"/>), so a publish on
/// a base this machine has seen decompresses none of its layers. A file that is damaged, cut
/// short or of another format is ignored, and the layer is read again and remembered anew.
/// </summary>
public sealed class LayerEntriesMemo(BlobStore store) : ILayerMemo
{
    // "v3": the format of LayerEntriesFile (v1 lacked executables' heads, v2 files were written by a check that
    // neither hashed the tar nor read it to its end); another format is written beside it, never read as this one.
    private string PathOf(Digest diffId) => Path.Combine(store.Root, "layer-entries", FormatFolder, diffId.Algorithm, diffId.Encoded);

    /// <summary>The folder under <c>layer-entries/</c> that holds memos of the format read now; the cache's verify reads it too.</summary>
    public const string FormatFolder = "v3";

    public IReadOnlyList<LayerReaderEntry>? Recall(Digest diffId)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(PathOf(diffId));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        var entries = LayerEntriesFile.TryRead(bytes, diffId);
        if (entries is not null) CacheUse.TouchFile(PathOf(diffId));
        return entries;
    }

    public void Remember(Digest diffId, IReadOnlyList<LayerReaderEntry> entries)
    {
        try
        {
            AtomicFile.WriteAllBytes(PathOf(diffId), LayerEntriesFile.Write(diffId, entries));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A memo that cannot be written costs the next publish one read of the layer, nothing more.
        }
    }
}
