using Modulus.Diagnostics;
using Modulus.Oci;
using Modulus.Storage;

namespace Modulus.Sources;

/// <summary>
/// Blobs an archive held, already imported into the store while the archive was read. Only
/// digests seen in this archive count: a blob left in the store by another build must not hide an
/// incomplete archive.
/// </summary>
internal sealed class ArchiveBlobs(string description, IReadOnlySet<Digest> present, BlobStore store) : IBlobSource
{
    public string Description => description;

    public string Fetch(Digest digest, long? size = null) =>
        present.Contains(digest) ? store.PathOf(digest) : throw new ModulusException(Errors.BlobMissing, Description, digest);
}
