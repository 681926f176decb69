using System.Globalization;
using Modulus.Diagnostics;
using Modulus.Oci;
using Modulus.Storage;

namespace Modulus.Sources;

/// <summary>
/// Blobs an archive held, already imported into the store while the archive was read. Only
/// digests seen in this archive count: a blob left in the store by another build must not hide an
/// incomplete archive. The archive's blobs came before its manifests, so each is held to the size
/// its descriptor declares here, as a layout's blobs are while they are copied (MOD2230).
/// </summary>
internal sealed class ArchiveBlobs(string description, IReadOnlySet<Digest> present, BlobStore store) : IBlobSource
{
    public string Description => description;

    public string Fetch(Digest digest, long? size = null)
    {
        if (!present.Contains(digest)) throw new ModulusException(Errors.BlobMissing, Description, digest);
        var path = store.PathOf(digest);
        if (size is { } declared && new FileInfo(path).Length is var held && held != declared)
            throw new ModulusException(Errors.BlobSizeMismatch, Description, digest,
                string.Create(CultureInfo.InvariantCulture, $"{held} bytes, not the {declared} declared"));
        return path;
    }
}
