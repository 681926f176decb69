using System.Security.Cryptography;
using Modulus.Oci;

namespace Modulus.Layers;

/// <summary>
/// A write-only pass-through that computes the SHA-256 and length of everything written to
/// <paramref name="inner"/>, so a layer's digests come out of the same pass that writes it.
/// Never closes <paramref name="inner"/>.
/// </summary>
internal sealed class HashingStream(Stream inner) : WriteOnlyStream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    /// <summary>How many bytes went through.</summary>
    public long Count { get; private set; }

    /// <summary>The digest of everything written so far.</summary>
    public Digest Digest => Digest.FromSha256Hash(_hash.GetCurrentHash());

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _hash.AppendData(buffer);
        Count += buffer.Length;
        inner.Write(buffer);
    }

    public override void Flush() => inner.Flush();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _hash.Dispose();
        base.Dispose(disposing);
    }
}
