using System.Collections.Concurrent;
using System.Diagnostics;
using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Oci;
using Modulus.Storage;

namespace Modulus.Registry;

/// <summary>
/// Pushes an image: every blob is checked (HEAD), mounted from another repository of the same
/// registry where it was seen, or uploaded, a few at a time; only when all are in place is the
/// manifest PUT, once per tag. A failed push therefore never moves a tag.
/// </summary>
public static class RegistryPusher
{
    /// <param name="image">The image; its layers' blobs are read with <see cref="ILayer.OpenBlob"/>.</param>
    /// <param name="target">Registry and repository; its tag is used when <paramref name="tags"/> is empty.</param>
    /// <param name="tags">Tags to point at the image; with none and no tag in the target, the image is pushed by digest only.</param>
    /// <param name="store">Where records of blob locations are kept (for cross-repository mounts).</param>
    /// <param name="options">Credentials, retries, parallelism and upload mode.</param>
    /// <param name="progress">Receives progress of large blob uploads.</param>
    /// <param name="ct">Cancels the push; tags already moved stay moved.</param>
    public static async Task<PushSummary> PushAsync(Image image, ImageReference target, IReadOnlyList<ImageTag> tags, BlobStore store, RegistryOptions options,
        IProgress<TransferProgress>? progress = null, CancellationToken ct = default)
    {
        // Both kinds of tag were checked when they were made: an ImageTag, and the reference's own.
        IReadOnlyList<string> effectiveTags = tags.Count > 0 ? tags.Select(t => t.Value).ToArray() : target.Tag is { } t ? [t] : [];

        var clock = Stopwatch.StartNew();
        var records = new RegistryRecords(store, options);
        using var transport = new RegistryTransport(target.Registry, forPush: true, options);
        var client = new RegistryClient(transport);
        var uploader = new BlobUploader(client);
        var repository = target.Repository;

        var blobs = new List<(Descriptor Blob, Func<Stream> Open)> { (image.Manifest.Config, () => new MemoryStream(image.ConfigBytes, writable: false)) };
        foreach (var layer in image.Layers.DistinctBy(l => l.Digest))
            blobs.Add((new Descriptor(layer.MediaType, layer.Digest, layer.Size), layer.OpenBlob));

        var uploaded = new ConcurrentBag<Descriptor>();
        var mounted = new ConcurrentBag<Descriptor>();
        var present = new ConcurrentBag<Descriptor>();
        await Parallel.ForEachAsync(blobs,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxParallelTransfers), CancellationToken = ct },
            async (item, token) =>
            {
                var outcome = await PlaceBlobAsync(client, uploader, records, repository, item.Blob, item.Open, progress, token);
                (outcome switch { Placed.AlreadyPresent => present, Placed.Mounted => mounted, _ => uploaded }).Add(item.Blob);
                records.RecordSource(item.Blob.Digest, target.Registry, repository);
            });

        // Every blob is in place: only now may a tag name the manifest.
        Digest digest = image.ManifestDigest;
        foreach (var tag in effectiveTags.DefaultIfEmpty(image.ManifestDigest.ToString()))
            digest = await client.PutManifestAsync(repository, tag, image.Manifest.MediaType, image.ManifestBytes, ct);

        return new PushSummary(target.Name, digest, effectiveTags, Ordered(uploaded, blobs), Ordered(mounted, blobs), Ordered(present, blobs), clock.Elapsed);
    }

    /// <summary>
    /// Pushes a multi-platform image: each platform's image by digest (blobs, then its manifest),
    /// one after the other, and only when all are in place the index, once per tag. A failure
    /// therefore never moves a tag, and a tag never names an index whose images are missing.
    /// </summary>
    public static async Task<PushSummary> PushAsync(PlatformIndex index, ImageReference target, IReadOnlyList<ImageTag> tags, BlobStore store, RegistryOptions options,
        IProgress<TransferProgress>? progress = null, CancellationToken ct = default)
    {
        IReadOnlyList<string> effectiveTags = tags.Count > 0 ? tags.Select(t => t.Value).ToArray() : target.Tag is { } t ? [t] : [];
        var clock = Stopwatch.StartNew();
        var byDigest = target with { Tag = null, Digest = null };
        var parts = new List<PushSummary>();
        foreach (var image in index.Images) parts.Add(await PushAsync(image, byDigest, [], store, options, progress, ct));

        using var transport = new RegistryTransport(target.Registry, forPush: true, options);
        var client = new RegistryClient(transport);
        Digest digest = index.IndexDigest;
        foreach (var tag in effectiveTags.DefaultIfEmpty(index.IndexDigest.ToString()))
            digest = await client.PutManifestAsync(target.Repository, tag, MediaTypes.OciIndex, index.IndexBytes, ct);

        IReadOnlyList<Descriptor> All(Func<PushSummary, IReadOnlyList<Descriptor>> part) => parts.SelectMany(part).DistinctBy(d => d.Digest).ToArray();
        return new PushSummary(target.Name, digest, effectiveTags, All(p => p.Uploaded), All(p => p.Mounted), All(p => p.AlreadyPresent), clock.Elapsed);
    }

    internal enum Placed { AlreadyPresent, Mounted, Uploaded }

    /// <summary>
    /// Puts a blob into <paramref name="repository"/> at the least cost: nothing when it is there,
    /// else a mount from a repository of the same registry <paramref name="records"/> saw it in, else an upload.
    /// </summary>
    internal static async Task<Placed> PlaceBlobAsync(RegistryClient client, BlobUploader uploader, RegistryRecords records, string repository,
        Descriptor blob, Func<Stream> open, IProgress<TransferProgress>? progress, CancellationToken ct)
    {
        if (await client.BlobExistsAsync(repository, blob.Digest, push: true, ct)) return Placed.AlreadyPresent;
        foreach (var source in records.SourcesOf(blob.Digest, client.Registry).Where(s => s != repository).Take(3))
        {
            if (await uploader.TryMountAsync(repository, blob.Digest, source, ct)) return Placed.Mounted;
            client.Transport.Options.Log?.Detail($"{client.Registry} could not mount {blob.Digest} from {source}; trying elsewhere or uploading.");
        }
        await uploader.UploadAsync(repository, blob, open, progress, ct);
        return Placed.Uploaded;
    }

    /// <summary>Image order (config, then layers), not completion order, so summaries read the same every time.</summary>
    private static IReadOnlyList<Descriptor> Ordered(IEnumerable<Descriptor> done, List<(Descriptor Blob, Func<Stream> Open)> blobs)
    {
        var set = done.Select(d => d.Digest).ToHashSet();
        return blobs.Select(b => b.Blob).Where(b => set.Contains(b.Digest)).ToArray();
    }
}
