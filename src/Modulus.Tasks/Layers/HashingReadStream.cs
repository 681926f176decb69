using System.Security.Cryptography;
using Modulus.Oci;

namespace Modulus.Layers;

/// <summary>
/// A read-only pass-through that computes the SHA-256 of everything read from
/// <paramref name="inner"/> (the read-side sibling of <see cref="HashingStream"/>): a full read of
/// a layer's tar tells its diffID on the way.
/// </summary>
internal sealed class HashingReadStream(Stream inner) : ReadOnlyStream(inner)
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    /// <summary>The digest of everything read so far.</summary>
    public Digest Digest => Digest.FromSha256Hash(_hash.GetCurrentHash());

    /// <summary>How many bytes were read.</summary>
    public long Count => BytesRead;

    public override int Read(Span<byte> buffer)
    {
        var read = Inner.Read(buffer);
        _hash.AppendData(buffer[..read]);
        BytesRead += read;
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _hash.Dispose();
        base.Dispose(disposing);
    }
}
