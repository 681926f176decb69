using Modulus.Diagnostics;
using Modulus.Oci;
using Modulus.Storage;

namespace Modulus.Sources;

/// <summary>Blobs of an OCI layout directory, copied into the store on first use.</summary>
internal sealed class LayoutDirectoryBlobs(string layoutPath, BlobStore store) : IBlobSource
{
    public string Description => $"the OCI layout '{layoutPath}'";

    public string Fetch(Digest digest)
    {
        var source = Path.Combine(layoutPath, "blobs", digest.Algorithm, digest.Encoded);
        if (!File.Exists(source)) throw new ModulusException(Errors.BlobMissing, Description, digest);
        using var content = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return store.Import(content, digest, $"blob {digest} of {Description}");
    }
}
