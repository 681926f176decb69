using System.Text;
using Modulus.Layers;
using Modulus.Oci;

namespace Modulus.Storage;

/// <summary>
/// What the store remembers of the layers it wrote: a layer's <see cref="LayerKey"/> (a digest of
/// everything that decides its bytes) to the blob digest, diffID and size writing it gave, one small
/// file per key (ROOT/layers/HEX). A layer whose inputs did not change is then not tarred and
/// compressed again. The memo is a cache: an entry of another version, one that does not read
/// back, or one whose last line (the digest of the lines before it) does not match them is
/// ignored (the layer is written and the entry replaced), and a hit whose blob has left the store
/// is written again. The check matters: the entry's diffID goes into the image's config as is,
/// and a damaged one would give an image that no runtime loads.
/// </summary>
internal sealed class LayerMemo(string storeRoot)
{
    /// <summary>The first line of an entry; raise it when the entry's layout changes.</summary>
    private const string Version = "modulus-layer-memo 2";

    private readonly string _folder = Path.Combine(storeRoot, "layers");

    public bool TryGet(Digest key, out LayerDigests digests)
    {
        digests = null!;
        string[] lines;
        try
        {
            lines = File.ReadAllLines(PathOf(key));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        if (lines is not [Version, var digest, var diffId, var size, var uncompressedSize, var check]
            || check != CheckOf(string.Join('\n', lines[..^1]))
            || !Digest.TryParse(digest, out var blob) || !Digest.TryParse(diffId, out var tar)
            || !long.TryParse(size, out var blobSize) || !long.TryParse(uncompressedSize, out var tarSize))
            return false;
        CacheUse.TouchFile(PathOf(key));
        digests = new LayerDigests(blob, tar, blobSize, tarSize);
        return true;
    }

    public void Put(Digest key, LayerDigests digests)
    {
        var record = $"{Version}\n{digests.Digest}\n{digests.DiffId}\n{digests.Size}\n{digests.UncompressedSize}";
        AtomicFile.WriteAllText(PathOf(key), $"{record}\n{CheckOf(record)}\n");
    }

    private static string CheckOf(string record) => Digest.Compute(Encoding.UTF8.GetBytes(record)).ToString();

    private string PathOf(Digest key) => Path.Combine(_folder, key.Encoded);
}
