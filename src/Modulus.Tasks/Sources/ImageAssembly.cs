using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Layers;
using Modulus.Oci;
using Modulus.Storage;

namespace Modulus.Sources;

/// <summary>
/// Turns a stored config and stored layer blobs into an <see cref="Image"/>, checking what a later
/// build relies on: the layer media types are ones Modulus can read, every layer's diffID is the
/// one the config promises, and the image runs on the requested platform.
/// </summary>
internal static class ImageAssembly
{
    /// <summary>Manifests, indexes and configs are read whole; anything bigger is not one.</summary>
    public const long MaxDocumentSize = 16 << 20;

    public static Image Assemble(string what, string manifestMediaType, Digest configDigest, long? configSize, IReadOnlyList<Descriptor> layers,
        Platform platform, IBlobSource blobs, BlobStore store)
    {
        var config = ImageConfig.Parse(ReadDocument(blobs, configDigest, configSize, $"the config of {what}", store), $"the config of {what}");
        var platformOfImage = config.Platform;
        if (!platform.Matches(platformOfImage))
            throw new ModulusException(Errors.PlatformNotFound, what, platform, platformOfImage);

        var diffIds = config.DiffIds;
        if (diffIds.Count != layers.Count) throw new ModulusException(Errors.LayerCountMismatch, what, layers.Count, diffIds.Count);
        var result = new List<ILayer>(layers.Count);
        for (var i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            if (!IsReadable(layer.MediaType)) throw new ModulusException(Errors.UnsupportedMediaType, $"Layer {layer.Digest} of {what}", layer.MediaType);
            var path = blobs.Fetch(layer.Digest, layer.Size);
            var diffId = DiffIdOf(layer, what, store);
            if (diffId != diffIds[i])
            {
                // The cache may be wrong, not the source: a damaged diffID record, or a blob damaged
                // since it was stored. Only a diffID computed again from an intact blob is the source's.
                store.ForgetDiffId(layer.Digest);
                store.EnsureIntact(layer.Digest);
                diffId = DiffIdOf(layer, what, store);
                if (diffId != diffIds[i])
                    throw new ModulusException(Errors.DigestMismatch, $"the uncompressed layer {layer.Digest} of {what}", diffIds[i], diffId);
            }
            result.Add(new BlobLayer(path, layer.MediaType, layer.Digest, diffId, new FileInfo(path).Length) { Source = what });
        }
        return new Image(config, result, manifestMediaType);
    }

    /// <summary>
    /// The layer's diffID. A blob that does not decompress is first checked against its digest:
    /// damaged in the cache, it is removed (MOD2220); intact, the source's layer is broken (MOD2104).
    /// </summary>
    private static Digest DiffIdOf(Descriptor layer, string what, BlobStore store)
    {
        try
        {
            return store.DiffIdOf(layer.Digest, layer.MediaType);
        }
        catch (GzipTruncatedException e)
        {
            store.EnsureIntact(layer.Digest);
            throw new ModulusException(Errors.GzipTruncated, $"{layer.Digest} of {what}", e.Decompressed);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            store.EnsureIntact(layer.Digest);
            throw new ModulusException(Errors.TarUnreadable, e, $"{layer.Digest} of {what}", e.Message);
        }
    }

    /// <summary>Reads a small JSON document (index.json of a layout), refusing sizes no document has.</summary>
    public static byte[] ReadDocument(string path, string what)
    {
        CheckDocumentSize(path, what);
        return File.ReadAllBytes(path);
    }

    /// <summary>
    /// A manifest, index or config of <paramref name="blobs"/>, from the store: fetched into it if
    /// need be, and checked against its digest on every read, since a copy stored by an earlier
    /// publish may have been damaged since (MOD2220: removed, and fetched again by the next build).
    /// </summary>
    public static byte[] ReadDocument(IBlobSource blobs, Digest digest, long? size, string what, BlobStore store)
    {
        CheckDocumentSize(blobs.Fetch(digest, size), what);
        return store.ReadIntact(digest);
    }

    private static void CheckDocumentSize(string path, string what)
    {
        var size = new FileInfo(path).Length;
        if (size > MaxDocumentSize) throw new ModulusException(Errors.ArchiveEntryTooLarge, what, path, size, MaxDocumentSize);
    }

    /// <summary>
    /// Foreign and non-distributable layers live outside the image (a URL), and zstd is not read
    /// yet; both are refused here rather than failing deep inside a later build.
    /// </summary>
    private static bool IsReadable(string mediaType) =>
        MediaTypes.IsSupportedLayer(mediaType)
        && mediaType is not (MediaTypes.DockerForeignLayerGzip or MediaTypes.OciNondistributableLayerGzip);
}
