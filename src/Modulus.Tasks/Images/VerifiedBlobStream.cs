using System.Security.Cryptography;
using Modulus.Diagnostics;
using Modulus.Layers;
using Modulus.Oci;

namespace Modulus.Images;

/// <summary>
/// Reads a stored blob and hashes it on the way, so bytes that leave the blob cache for an output
/// or a push are checked by the copy that reads them anyway (the cost is the hash alone). At the
/// end the bytes must be the <paramref name="digest"/> and the <paramref name="size"/> the layer
/// declares; if not, <paramref name="evict"/> removes the blob and the read fails with MOD2220,
/// before the copy can be taken for complete; a match calls <paramref name="verified"/>.
/// </summary>
internal sealed class VerifiedBlobStream(Stream inner, string path, Digest digest, long size, Action evict, Action verified) : ReadOnlyStream(inner)
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(BlobHashes.AlgorithmOf(digest));
    private bool _checked;

    public override int Read(Span<byte> buffer) => Hashed(buffer, Inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await Inner.ReadAsync(buffer, cancellationToken);
        return Hashed(buffer.Span, read);
    }

    private int Hashed(ReadOnlySpan<byte> buffer, int read)
    {
        if (read > 0)
        {
            _hash.AppendData(buffer[..read]);
            BytesRead += read;
        }
        else if (buffer.Length > 0 && !_checked)
        {
            _checked = true;
            var actual = BlobHashes.DigestOf(digest.Algorithm, _hash.GetHashAndReset());
            if (actual != digest || BytesRead != size)
            {
                evict();
                throw new ModulusException(Errors.CachedBlobCorrupt, digest, path, BytesRead, actual);
            }
            verified();
        }
        return read;
    }

    public override long Length => size;

    protected override void Dispose(bool disposing)
    {
        if (disposing) _hash.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>The hash a digest's algorithm names, and the digest a finished hash gives.</summary>
internal static class BlobHashes
{
    public static HashAlgorithmName AlgorithmOf(Digest digest) =>
        digest.Algorithm == "sha512" ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256;

    public static Digest DigestOf(string algorithm, byte[] hash) =>
        algorithm == "sha512" ? Digest.Parse("sha512:" + Convert.ToHexStringLower(hash)) : Digest.FromSha256Hash(hash);

    /// <summary>The digest of <paramref name="bytes"/> in <paramref name="algorithm"/>.</summary>
    public static Digest Of(ReadOnlySpan<byte> bytes, string algorithm) =>
        algorithm == "sha512" ? DigestOf(algorithm, SHA512.HashData(bytes)) : Digest.FromSha256Hash(SHA256.HashData(bytes));

    /// <summary>The digest of the file at <paramref name="path"/> in <paramref name="algorithm"/>.</summary>
    public static Digest OfFile(string path, string algorithm)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        using var hash = IncrementalHash.CreateHash(algorithm == "sha512" ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        int read;
        while ((read = file.Read(buffer)) > 0) hash.AppendData(buffer, 0, read);
        return DigestOf(algorithm, hash.GetHashAndReset());
    }
}
