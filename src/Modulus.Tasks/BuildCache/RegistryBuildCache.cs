using System.Net.Http;
using System.Text.Json;
using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Oci;
using Modulus.Registry;
using Modulus.Storage;

namespace Modulus.BuildCache;

/// <summary>
/// A registry repository as the build cache machines share (ModulusCacheRepository): a step's
/// finished layer is an ordinary OCI artifact there, an image manifest of artifact type
/// <see cref="ArtifactType"/> tagged by the step's <see cref="StepCacheKey"/>, whose config is the
/// empty descriptor and whose layers are the step's layer and a <see cref="CacheRecord"/>. Every blob
/// taken is verified against its digest, and the caller checks the layer's tar against its diffID.
/// The cache only ever saves work: a cache that does not answer, an entry that is damaged or of
/// another format, or one that cannot be written is a warning, and the step builds its layer itself.
/// </summary>
internal sealed class RegistryBuildCache(ImageReference repository, RegistryOptions options, BlobStore store, IBuildLog log)
{
    public const string ArtifactType = "application/vnd.modulus.cache.v1+json";
    public const string RecordMediaType = "application/vnd.modulus.cache.record.v1+json";
    public const string EmptyMediaType = "application/vnd.oci.empty.v1+json";

    /// <summary>The layout of an entry and its record; raise it when either changes.</summary>
    public const int Format = 1;

    /// <summary>A record is a few kilobytes; anything much larger is not one.</summary>
    private const long MaxRecordSize = 4 << 20;

    private static readonly byte[] EmptyConfig = "{}"u8.ToArray();

    // A cache is worth a request or two, not the minutes of retries and waits an image's own pull may take.
    private readonly RegistryOptions _options = options with
    {
        MaxAttempts = Math.Min(options.MaxAttempts, 2),
        RequestTimeout = options.RequestTimeout < MaxRequestTime ? options.RequestTimeout : MaxRequestTime,
    };

    /// <summary>The time a cache request that moves no blob may take (a blob adds its size at the registry options' minimum rate).</summary>
    public static readonly TimeSpan MaxRequestTime = TimeSpan.FromSeconds(15);
    private readonly RegistryRecords _records = new(store, options);
    // Steps ask for several layers at once; the first that finds the cache unreachable warns, and no request follows.
    private int _unreachable;

    /// <summary>registry/repository, as the warnings name it.</summary>
    public string Name => repository.Name;

    /// <summary>The entry of <paramref name="key"/>, its blobs verified into the store; null on a miss or when the cache cannot give it (warned).</summary>
    public async Task<CachedLayer?> LookUpAsync(StepCacheKey key, CancellationToken ct)
    {
        if (Volatile.Read(ref _unreachable) != 0) return null;
        var entry = $"{Name}:{key.Tag}";
        try
        {
            using var transport = new RegistryTransport(repository.Registry, forPush: false, _options);
            var client = new RegistryClient(transport);
            FetchedManifest fetched;
            try
            {
                fetched = await client.GetManifestAsync(repository, key.Tag, ct);
            }
            catch (ModulusException e) when (e.Error == Errors.RegistryManifestNotFound)
            {
                log.Detail($"The build cache {Name} has no entry for the {key.Step} step ({key.Tag})");
                return null;
            }
            if (Manifest(fetched.Bytes) is not { } manifest)
                return Foreign(entry, key, "not an OCI image manifest");
            if (manifest.ArtifactType != ArtifactType)
                return Foreign(entry, key, manifest.ArtifactType is { } other ? $"artifact type {other}" : "no artifact type");
            if (manifest.Layers is not [var layer, var recordBlob] || !MediaTypes.IsGzipLayer(layer.MediaType)
                || recordBlob.MediaType != RecordMediaType || recordBlob.Size > MaxRecordSize)
                return Foreign(entry, key, "layers of other kinds");

            if (!store.Contains(recordBlob.Digest)) await client.DownloadBlobAsync(repository.Repository, recordBlob, store, null, ct);
            var bytes = store.ReadIntact(recordBlob.Digest);
            if (CacheRecord.FormatOf(bytes) is var format && format != Format)
                return Foreign(entry, key, format is { } f ? $"record format {f}" : "an unreadable record");
            if (CacheRecord.TryRead(bytes) is not { } record || !Digest.TryParse(record.DiffId, out var diffId))
                return Damaged(entry, key, "its record is not readable");
            if (record.Key != key.Value || record.Step != key.Step)
                return Damaged(entry, key, $"its record answers the {record.Step} step's key {record.Key}");

            if (!store.Contains(layer.Digest)) await client.DownloadBlobAsync(repository.Repository, layer, store, null, ct);
            // A push to this registry then mounts the layer from here instead of uploading it.
            _records.RecordSource(layer.Digest, repository.Registry, repository.Repository);
            return new CachedLayer(new BlobLayer(store.PathOf(layer.Digest), layer.MediaType, layer.Digest, diffId, layer.Size), record.Data.Clone());
        }
        catch (ModulusException e) when (e.Error == Errors.RegistryDigestMismatch || e.Error == Errors.RegistrySizeMismatch
                                          || e.Error == Errors.RegistryBlobNotFound || e.Error == Errors.CachedBlobCorrupt)
        {
            return Damaged(entry, key, e.Message);
        }
        catch (Exception e) when (Unreachable(e, ct))
        {
            if (Interlocked.Exchange(ref _unreachable, 1) == 0) log.Warn(Errors.CacheUnreachable, SourceLocation.Unknown, Name, Sentence(e.Message));
            return null;
        }
    }

    /// <summary>
    /// Writes <paramref name="layer"/> as the entry of <paramref name="key"/>, with <paramref name="data"/>
    /// in its record: blobs the repository lacks are mounted from another repository of the registry
    /// that holds them (as an image push does), else uploaded; then the tag is put. A failure is a warning.
    /// </summary>
    public async Task StoreAsync(StepCacheKey key, ILayer layer, JsonElement data, CancellationToken ct)
    {
        if (Volatile.Read(ref _unreachable) != 0) return;
        try
        {
            using var transport = new RegistryTransport(repository.Registry, forPush: true, _options);
            var client = new RegistryClient(transport);
            var uploader = new BlobUploader(client);
            var record = new CacheRecord(Format, key.Step, key.Value, layer.DiffId.ToString(), data).ToBytes();
            var config = new Descriptor(EmptyMediaType, Digest.Compute(EmptyConfig), EmptyConfig.Length);
            var layerBlob = new Descriptor(layer.MediaType, layer.Digest, layer.Size);
            var recordBlob = new Descriptor(RecordMediaType, Digest.Compute(record), record.Length);
            (Descriptor Blob, Func<Stream> Open)[] blobs =
            [
                (config, () => new MemoryStream(EmptyConfig, writable: false)),
                (layerBlob, layer.OpenBlob),
                (recordBlob, () => new MemoryStream(record, writable: false)),
            ];
            // A layer this machine pulled or pushed elsewhere in the registry is mounted, not sent again.
            var placed = new List<RegistryPusher.Placed>();
            foreach (var (blob, open) in blobs)
                placed.Add(await RegistryPusher.PlaceBlobAsync(client, uploader, _records, repository.Repository, blob, open, null, ct));
            _records.RecordSource(layer.Digest, repository.Registry, repository.Repository);
            var manifest = new ImageManifest(MediaTypes.OciManifest, config, [layerBlob, recordBlob]) { ArtifactType = ArtifactType };
            await client.PutManifestAsync(repository.Repository, key.Tag, MediaTypes.OciManifest, OciJson.Serialize(manifest), ct);
            log.Detail($"Recorded the {key.Step} step's layer {layer.Digest} in the build cache {Name}:{key.Tag} ({placed[1] switch
            {
                RegistryPusher.Placed.AlreadyPresent => "the layer was there",
                RegistryPusher.Placed.Mounted => "the layer mounted",
                _ => "the layer uploaded",
            }})");
        }
        catch (Exception e) when (e is ModulusException || Unreachable(e, ct))
        {
            log.Warn(Errors.CacheWriteFailed, SourceLocation.Unknown, Name, Sentence(e.Message));
        }
    }

    /// <summary>A message quoted inside a sentence of the warning's own.</summary>
    public static string Sentence(string message) => message.TrimEnd().TrimEnd('.');

    private static bool Unreachable(Exception e, CancellationToken ct) =>
        e is ModulusException or HttpRequestException or IOException || e is OperationCanceledException && !ct.IsCancellationRequested;

    private static ImageManifest? Manifest(byte[] bytes)
    {
        try
        {
            return OciJson.PeekMediaType(bytes, "a build cache entry") == MediaTypes.OciManifest
                ? OciJson.Deserialize<ImageManifest>(bytes, "a build cache entry")
                : null;
        }
        catch (ModulusException)
        {
            return null;
        }
    }

    private CachedLayer? Foreign(string entry, StepCacheKey key, string what)
    {
        log.Warn(Errors.CacheEntryForeign, SourceLocation.Unknown, entry, key.Step, what, $"artifact type {ArtifactType}, record format {Format}");
        return null;
    }

    /// <summary>An entry found damaged: not used, and the step builds its layer itself.</summary>
    public CachedLayer? Damaged(string entry, StepCacheKey key, string why)
    {
        log.Warn(Errors.CacheEntryDamaged, SourceLocation.Unknown, entry, key.Step, Sentence(why));
        return null;
    }
}
