using System.IO.Compression;
using Modulus.Oci;

namespace Modulus.Images;

/// <summary>A layer whose blob is a file on disk, already verified against <see cref="Digest"/>.</summary>
public sealed class BlobLayer(string blobPath, string mediaType, Digest digest, Digest diffId, long size) : ILayer
{
    public string BlobPath { get; } = blobPath;

    public string MediaType { get; } = mediaType;

    public Digest Digest { get; } = digest;

    public Digest DiffId { get; } = diffId;

    public long Size { get; } = size;

    public Stream OpenBlob() =>
        new FileStream(BlobPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);

    public Stream OpenTar()
    {
        LayerTarOpens.Opened(Digest);
        var blob = OpenBlob();
        return MediaTypes.IsGzipLayer(MediaType) ? new GZipStream(blob, CompressionMode.Decompress) : blob;
    }

    public Descriptor ToDescriptor() => new(MediaType, Digest, Size);

    public override string ToString() => Digest.ToString();
}
