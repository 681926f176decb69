using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Oci;
using Modulus.Storage;

namespace Modulus.Sources;

/// <summary>
/// Reads an image from a docker-archive (the output of docker save, before and since Docker 25) in
/// one pass. manifest.json says which entries matter, but it may come last, so every file entry is
/// imported into the store and its digest remembered under its entry name.
/// </summary>
internal static class DockerArchiveReader
{
    public static Image Read(BaseImageSpec spec, Platform platform, BlobStore store)
    {
        var (archive, description) = (spec.Path!, spec.Description);
        var digests = new Dictionary<string, Digest>(StringComparer.Ordinal);
        var links = new Dictionary<string, string?>(StringComparer.Ordinal);
        byte[]? manifestJson = null;
        ArchiveEntries.ForEach(archive, Errors.InvalidDockerArchive, (entry, name) =>
        {
            var what = $"'{name}' in {description}";
            // docker save links a layer it already wrote instead of writing it twice.
            if (entry.EntryType == System.Formats.Tar.TarEntryType.SymbolicLink) links[name] = ArchiveEntries.LinkTarget(name, entry.LinkName);
            else if (name == "manifest.json") manifestJson = ArchiveEntries.ReadSmall(entry, archive);
            else if (ArchiveEntries.BlobDigest(name) is { } named)
            {
                store.Import(entry.DataStream!, named, what);
                digests[name] = named;
            }
            else digests[name] = ArchiveEntries.ImportUnnamed(entry, store, what);
        });
        if (manifestJson is null) throw new ModulusException(Errors.InvalidDockerArchive, archive, "it has no manifest.json");

        var chosen = Choose(spec, DockerArchiveManifest.Parse(manifestJson, archive));
        var blobs = new ArchiveBlobs(description, digests.Values.ToHashSet(), store);
        Digest DigestOf(string entryName)
        {
            var name = ArchiveEntries.Normalize(entryName);
            // Bounded: a chain of links longer than the archive has links is a loop.
            for (var hops = 0; hops <= links.Count && name is not null; hops++)
            {
                if (digests.TryGetValue(name, out var digest)) return digest;
                name = links.GetValueOrDefault(name);
            }
            throw new ModulusException(Errors.BlobMissing, description, $"'{entryName}'");
        }
        var configDigest = DigestOf(chosen.Config);
        var layers = chosen.Layers.Select(l =>
        {
            var digest = DigestOf(l);
            var path = blobs.Fetch(digest);
            return new Descriptor(LayerMediaType(path), digest, new FileInfo(path).Length);
        }).ToArray();
        var imageName = chosen.RepoTags is { Count: > 0 } tags ? $"image {tags[0]} in {description}" : $"the image in {description}";
        return ImageAssembly.Assemble(imageName, MediaTypes.OciManifest, configDigest, null, layers, platform, blobs, store);
    }

    private static DockerArchiveManifest Choose(BaseImageSpec spec, IReadOnlyList<DockerArchiveManifest> images)
    {
        if (spec.Reference is null)
        {
            return images.Count == 1 ? images[0] : throw new ModulusException(Errors.AmbiguousArchive, spec.Path, images.Count, spec.Prefix);
        }
        return images.FirstOrDefault(i => i.RepoTags?.Any(t => ReferenceNames.Matches(spec.Reference, t)) == true)
            ?? throw new ModulusException(Errors.TagNotInArchive, spec.Path, spec.Reference,
                string.Join(", ", images.SelectMany(i => i.RepoTags ?? []).DefaultIfEmpty("none")));
    }

    /// <summary>
    /// docker save writes uncompressed layer tars; other writers (ours included) gzip them. The
    /// archive does not say which, so the blob's first bytes do.
    /// </summary>
    private static string LayerMediaType(string blobPath)
    {
        Span<byte> magic = stackalloc byte[4];
        using var file = File.OpenRead(blobPath);
        var read = file.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        if (read >= 2 && magic[0] == 0x1f && magic[1] == 0x8b) return MediaTypes.OciLayerGzip;
        if (read == 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd) return MediaTypes.OciLayerZstd;
        return MediaTypes.OciLayer;
    }
}
