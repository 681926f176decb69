using Modulus.Oci;

namespace Modulus.Images;

/// <summary>
/// A layer blob. <see cref="Digest"/> and <see cref="Size"/> describe the blob as stored
/// (compressed); <see cref="DiffId"/> is the digest of the uncompressed tar.
/// </summary>
public interface ILayer
{
    string MediaType { get; }

    Digest Digest { get; }

    Digest DiffId { get; }

    long Size { get; }

    /// <summary>The blob as stored (compressed when the media type says so).</summary>
    Stream OpenBlob();

    /// <summary>The uncompressed tar stream.</summary>
    Stream OpenTar();
}
