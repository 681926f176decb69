using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Oci;
using Modulus.Storage;

namespace Modulus.Sources;

/// <summary>
/// Reads an image from an oci-archive (a tar of an OCI layout) in one pass: every blob goes
/// straight into the store, verified against its name, and only index.json is kept in memory.
/// </summary>
internal static class OciArchiveReader
{
    public static Image Read(BaseImageSpec spec, Platform platform, BlobStore store)
    {
        var (archive, description) = (spec.Path!, spec.Description);
        var present = new HashSet<Digest>();
        byte[]? index = null;
        var hasLayoutFile = false;
        ArchiveEntries.ForEach(archive, Errors.InvalidOciLayout, (entry, name) =>
        {
            if (!ArchiveEntries.IsRegularFile(entry)) return;
            if (name == "index.json") index = ArchiveEntries.ReadSmall(entry, archive);
            else if (name == "oci-layout") hasLayoutFile = true;
            else if (ArchiveEntries.BlobDigest(name) is { } digest)
            {
                store.Import(entry.DataStream!, digest, $"'{name}' in {description}");
                present.Add(digest);
            }
        });
        if (!hasLayoutFile) throw new ModulusException(Errors.InvalidOciLayout, archive, "the archive has no 'oci-layout' file");
        if (index is null) throw new ModulusException(Errors.InvalidOciLayout, archive, "the archive has no 'index.json' file");
        return OciIndexResolver.Resolve(spec, index, platform, new ArchiveBlobs(description, present, store), store);
    }
}
