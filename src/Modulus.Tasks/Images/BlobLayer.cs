using Modulus.Layers;
using Modulus.Oci;

namespace Modulus.Images;

/// <summary>
/// A layer whose blob is a file on disk, verified against <see cref="Digest"/> when it was stored.
/// A file can be damaged after that, so <see cref="OpenBlob"/> (what outputs and pushes copy)
/// verifies again as it reads, and removes a blob found damaged: what points at it in the store
/// (a layer memo entry) then misses, so the layer is fetched or written again.
/// </summary>
public sealed class BlobLayer(string blobPath, string mediaType, Digest digest, Digest diffId, long size) : ILayer
{
    public string BlobPath { get; } = blobPath;

    public string MediaType { get; } = mediaType;

    public Digest Digest { get; } = digest;

    public Digest DiffId { get; } = diffId;

    public long Size { get; } = size;

    /// <summary>The image this layer was taken from (a base image), named in the errors its tar gives; null for a layer Modulus wrote.</summary>
    public string? Source { get; init; }

    private volatile bool _verified;

    /// <summary>
    /// The blob, verified as it is read until one read has verified it whole: the layout and the
    /// tar of one publish (and its push) copy the same blob moments apart, and hashing it each
    /// time would double the cost for a risk of seconds.
    /// </summary>
    public Stream OpenBlob() =>
        _verified ? OpenFile() : new VerifiedBlobStream(OpenFile(), BlobPath, Digest, Size, Evict, () => _verified = true);

    /// <summary>
    /// The tar, decompressed strictly (a gzip stream cut short fails: <see cref="StrictGzipStream"/>)
    /// but not hashed here: the merged view's reads of a body stop early, and its full read, the
    /// one it remembers, hashes the tar against <see cref="DiffId"/> itself. A base layer refused
    /// there is then checked against its digest (Pipeline.BaseStep.ReadView), so a damaged blob
    /// is not taken for a hostile layer.
    /// </summary>
    public Stream OpenTar()
    {
        LayerTarOpens.Opened(Digest);
        var blob = OpenFile();
        return MediaTypes.IsGzipLayer(MediaType) ? StrictGzipStream.Open(blob) : blob;
    }

    private void Evict()
    {
        try
        {
            File.Delete(BlobPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The mismatch is reported either way; a blob that cannot be removed is found damaged again.
        }
    }

    private FileStream OpenFile() =>
        new(BlobPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);

    public Descriptor ToDescriptor() => new(MediaType, Digest, Size);

    public override string ToString() => Digest.ToString();
}
