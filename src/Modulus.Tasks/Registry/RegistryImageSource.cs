using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Oci;
using Modulus.Sources;
using Modulus.Storage;

namespace Modulus.Registry;

/// <summary>
/// Pulls an image from a registry into a blob store. Each manifest and blob is verified against
/// its digest before use. The network is used only for what the store lacks: a digest reference
/// whose blobs are stored needs none, and a tag needs none while its record is fresh (see
/// <see cref="RegistryOptions.TagTimeToLive"/> and <see cref="RegistryOptions.RefreshTags"/>).
/// </summary>
public static class RegistryImageSource
{
    /// <summary>
    /// The manifest digest a reference stands for: its own digest, a fresh tag record, or else the
    /// registry's answer (the manifest is stored and the tag recorded, so a pull that follows needs
    /// no second request). An up-to-date check can include it to notice a moved tag.
    /// </summary>
    public static async Task<Digest> ResolveAsync(ImageReference reference, BlobStore store, RegistryOptions options, CancellationToken ct = default)
    {
        if (reference.Digest is { } pinned) return pinned;
        using var session = new PullSession(reference, store, options);
        return (await session.TopManifestAsync(ct)).Digest;
    }

    public static async Task<Image> PullAsync(ImageReference reference, Platform platform, BlobStore store, RegistryOptions options,
        IProgress<TransferProgress>? progress = null, CancellationToken ct = default)
    {
        using var session = new PullSession(reference, store, options);
        var top = await session.TopManifestAsync(ct);
        var mediaType = OciJson.PeekMediaType(top.Bytes, reference.ToString());

        var manifestBytes = top.Bytes;
        var what = reference.ToString();
        if (MediaTypes.IsIndex(mediaType))
        {
            var index = OciJson.Deserialize<ImageIndex>(top.Bytes, what);
            var chosen = PlatformChoice.Select(index.Manifests, platform, what);
            what = $"{reference.Name}@{chosen.Digest}";
            manifestBytes = (await session.ManifestAsync(chosen.Digest, chosen.Digest.ToString(), ct, chosen.Size)).Bytes;
            mediaType = OciJson.PeekMediaType(manifestBytes, what);
        }
        if (!MediaTypes.IsManifest(mediaType)) throw new ModulusException(Errors.UnsupportedMediaType, what, mediaType ?? "(none)");

        var manifest = OciJson.Deserialize<ImageManifest>(manifestBytes, what);
        if (manifest.Config is null || manifest.Layers is null)
            throw new ModulusException(Errors.InvalidJson, what, "image manifest", "it has no config or no layers");
        foreach (var layer in manifest.Layers.Where(l => !MediaTypes.IsSupportedLayer(l.MediaType)))
            throw new ModulusException(Errors.UnsupportedMediaType, $"layer {layer.Digest} of {what}", layer.MediaType);

        // Each blob that will report is announced before any moves, so progress can say "of" how much.
        foreach (var blob in manifest.Layers.Prepend(manifest.Config).Where(b => b.Size >= options.ProgressThreshold && !store.Contains(b.Digest)))
            progress?.Report(new TransferProgress(TransferDirection.Pull, blob.Digest, 0, blob.Size, 0, Completed: false));
        await Parallel.ForEachAsync(manifest.Layers.Prepend(manifest.Config),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxParallelTransfers), CancellationToken = ct },
            async (blob, token) => await session.BlobAsync(blob, progress, token));

        // The same checks as for a local base: the config's platform, each layer's diffID.
        return ImageAssembly.Assemble(what, manifest.MediaType ?? mediaType!, manifest.Config.Digest, manifest.Config.Size, manifest.Layers,
            platform, new PulledBlobs(store, what), store);
    }

    /// <summary>The blobs a pull has put into the store.</summary>
    private sealed class PulledBlobs(BlobStore store, string what) : IBlobSource
    {
        public string Description => what;

        public string Fetch(Digest digest, long? size = null) =>
            store.Contains(digest) ? store.PathOf(digest) : throw new ModulusException(Errors.BlobMissing, what, digest);
    }

    /// <summary>One pull's state: the client is made only if something must come over the network.</summary>
    private sealed class PullSession(ImageReference reference, BlobStore store, RegistryOptions options) : IDisposable
    {
        private readonly Lazy<RegistryClient> _client = new(() => new RegistryClient(new RegistryTransport(reference.Registry, forPush: false, options)));

        public RegistryRecords Records { get; } = new(store, options);

        /// <summary>
        /// The manifest or index the reference names: by digest, from a fresh tag record, or asked
        /// of the registry (and recorded). When the registry cannot be reached and the tag's last
        /// answer is stored, that answer is used and the log says so, so an offline rebuild works
        /// past the record's lifetime; an explicit refresh never falls back.
        /// </summary>
        public async Task<FetchedManifest> TopManifestAsync(CancellationToken ct)
        {
            if (reference.Digest is { } pinned) return await ManifestAsync(pinned, pinned.ToString(), ct);
            try
            {
                var top = await ManifestAsync(Records.FreshTag(reference), reference.Reference, ct);
                if (top.FromRegistry) Records.RecordTag(reference, top.Digest);
                return top;
            }
            catch (ModulusException e) when (e.Error == Errors.RegistryUnreachable && !options.RefreshTags
                && Records.LastTag(reference) is { } last && store.Contains(last.Digest))
            {
                options.Log?.Detail(FormattableString.Invariant(
                    $"{reference.Registry} cannot be reached ({e.Message}); using {last.Digest}, which {reference} named at {last.Resolved:yyyy-MM-dd HH:mm} UTC."));
                return await ManifestAsync(last.Digest, last.Digest.ToString(), ct);
            }
        }

        /// <summary>
        /// The manifest at <paramref name="known"/> from the store, else from the registry as
        /// <paramref name="tagOrDigest"/>, held to the <paramref name="declaredSize"/> an index gave it.
        /// </summary>
        public async Task<FetchedManifest> ManifestAsync(Digest? known, string tagOrDigest, CancellationToken ct, long? declaredSize = null)
        {
            if (known is { } digest && store.Contains(digest))
            {
                var bytes = File.ReadAllBytes(store.PathOf(digest));
                if (Digest.Compute(bytes) == digest) return new FetchedManifest(bytes, digest, FromRegistry: false);
            }
            var fetched = await _client.Value.GetManifestAsync(reference, tagOrDigest, ct, declaredSize);
            store.Put(fetched.Bytes);
            return fetched;
        }

        public async Task BlobAsync(Descriptor blob, IProgress<TransferProgress>? progress, CancellationToken ct)
        {
            if (!store.Contains(blob.Digest))
            {
                await _client.Value.DownloadBlobAsync(reference.Repository, blob, store, progress, ct);
                Records.RecordSource(blob.Digest, reference.Registry, reference.Repository);
            }
        }

        public void Dispose()
        {
            if (_client.IsValueCreated) _client.Value.Transport.Dispose();
        }
    }
}
