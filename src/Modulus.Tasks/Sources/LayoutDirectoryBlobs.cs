using Modulus.Diagnostics;
using Modulus.Layers;
using Modulus.Oci;
using Modulus.Storage;

namespace Modulus.Sources;

/// <summary>
/// Blobs of an OCI layout directory, copied into the store on first use. A layout is a folder
/// anyone can write, so a blob is opened only when it is a regular file (a link to /dev/zero or a
/// FIFO is refused unopened), and read no further than its descriptor's size.
/// </summary>
internal sealed class LayoutDirectoryBlobs(string layoutPath, BlobStore store) : IBlobSource
{
    public string Description => $"the OCI layout '{layoutPath}'";

    public string Fetch(Digest digest, long? size = null)
    {
        var source = Path.Combine(layoutPath, "blobs", digest.Algorithm, digest.Encoded);
        var kind = HostFile.KindOf(source);
        if (kind == HostFileKind.Missing) throw new ModulusException(Errors.BlobMissing, Description, digest);
        if (kind != HostFileKind.RegularFile) throw new ModulusException(Errors.BlobNotRegularFile, source, $"blob {digest} of {Description}", HostFile.Describe(kind));
        var file = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        using var content = size is { } declared
            ? BoundedReadStream.Exactly(file, declared, held => new ModulusException(Errors.BlobSizeMismatch, Description, digest, held))
            : (Stream)file;
        return store.Import(content, digest, $"blob {digest} of {Description}");
    }
}
