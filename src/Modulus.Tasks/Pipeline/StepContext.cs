using System.Text.Json;
using Modulus.BuildCache;
using Modulus.Debian;
using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Layers;
using Modulus.Plan;
using Modulus.Registry;
using Modulus.Storage;

namespace Modulus.Pipeline;

/// <summary>
/// What the steps of one publish share: the plan and where blobs go, the progress and log, the
/// image as it grows (its base, the layers appended so far and their merged view), and what a
/// step leaves for a later one.
/// </summary>
internal sealed class StepContext(ImagePlan plan, DeclaredLayers declared, BlobStore store, PublishProgress progress, RegistryOptions registry, CancellationToken cancellation)
{
    private readonly List<AppendedLayer> _layers = [];
    private readonly List<StepLayer> _notInView = [];
    private ImageFileSystem? _view;
    private Image? _base;

    public ImagePlan Plan { get; } = plan;

    /// <summary>The files layer and the apps' layers as declared, checked once before the publish began.</summary>
    public DeclaredLayers Declared { get; } = declared;

    public BlobStore Store { get; } = store;

    public PublishProgress Progress { get; } = progress;

    public IBuildLog Log => Progress.Log;

    public RegistryOptions Registry { get; } = registry;

    public CancellationToken Cancellation { get; } = cancellation;

    /// <summary>The manifest digest the registry base stood for when the publish resolved it; null for a local base.</summary>
    public string? BaseImageDigest { get; init; }

    /// <summary>The HTTP client of the Debian step, one for the whole publish; tests serve a mirror of their own.</summary>
    public Func<HttpClient> DebianHttp { get; set; } = () => new HttpClient { Timeout = DebianStep.RequestTimeout };

    /// <summary>The base image, with its blobs in the store (the Base step loads it).</summary>
    public Image Base
    {
        get => _base ?? throw new InvalidOperationException("The base image is asked for before the Base step loaded it.");
        set => _base = value;
    }

    /// <summary>The layers the steps appended so far, lowest first.</summary>
    public IReadOnlyList<AppendedLayer> Layers => _layers;

    /// <summary>
    /// The merged file system of the base and every layer appended so far. The base's layers are
    /// read once, when a step first asks, and only those the store's memo does not know (a base
    /// this machine built on before is not decompressed at all); each appended layer joins from
    /// the contents it was written from, never read back.
    /// </summary>
    public ImageFileSystem View
    {
        get
        {
            // Read in whichever step asks first, but the base's to answer for: its errors point at it.
            _view ??= Located.Run(_ => Plan.BaseImageLocation, () => BaseStep.ReadView(Base, Store), BaseStep.StepName);
            foreach (var layer in _notInView)
                _view = layer.Contents is { } contents ? _view.Append(layer.Appended.Layer, contents)
                    : _view.Append(layer.Appended.Layer, BaseStep.KeepsBody, new LayerEntriesMemo(Store));
            _notInView.Clear();
            return _view;
        }
    }

    /// <summary>The registry repository shared as the build cache (ModulusCacheRepository); null when there is none.</summary>
    public RegistryBuildCache? BuildCache { get; init; }

    private readonly List<Func<Task>> _cacheWrites = [];

    /// <summary>
    /// The key of a step's layer laid on the image as it is now (the base and every layer appended
    /// so far), with the step's own <paramref name="inputs"/>; null when there is no build cache.
    /// </summary>
    public StepCacheKey? CacheKey(string step, IEnumerable<string> inputs) =>
        BuildCache is null ? null
            : StepCacheKey.Of(step, Plan.CacheBuild, Plan.Platform, Plan.Timestamp, Base.Layers.Concat(_layers.Select(l => l.Layer)).Select(l => l.DiffId), inputs);

    /// <summary>
    /// As <see cref="CacheKey"/>, for a layer whose bytes its <paramref name="inputs"/> decide alone,
    /// whatever lies below it (written without folders from below): a change below, such as another
    /// Debian package, keeps its key.
    /// </summary>
    public StepCacheKey? StandaloneCacheKey(string step, IEnumerable<string> inputs) =>
        BuildCache is null ? null : StepCacheKey.Of(step, Plan.CacheBuild, Plan.Platform, Plan.Timestamp, [], inputs);

    /// <summary>
    /// The build cache's layer for <paramref name="key"/>, read whole before it is used, once: its
    /// tar must be its diffID, and its entries are then remembered as a base layer's are, so the
    /// view takes them from the memo. Null on a miss, or when the entry cannot be used (warned).
    /// </summary>
    public async Task<CachedLayer?> FromCacheAsync(StepCacheKey key, string what)
    {
        if (BuildCache is null || await BuildCache.LookUpAsync(key, Cancellation) is not { } hit) return null;
        try
        {
            var memo = new LayerEntriesMemo(Store);
            if (memo.Recall(hit.Layer.DiffId) is null)
            {
                // Nothing here vouches for the diffID the record claims: one read of the tar gives
                // its entries and checks that the tar is that diffID (a mismatch is MOD2003, reported here as a damaged entry).
                try
                {
                    _ = ImageFileSystem.Read([hit.Layer], BaseStep.KeepsBody, memo);
                }
                catch (ModulusException e) when (e.Error == Errors.DigestMismatch)
                {
                    return BuildCache.Damaged($"{BuildCache.Name}:{key.Tag}", key, $"its layer's tar is not the diffID {hit.Layer.DiffId} its record gives ({RegistryBuildCache.Sentence(e.Message)})");
                }
                Store.RememberDiffId(hit.Layer.Digest, hit.Layer.DiffId);
            }
            else
            {
                // The entries memo is keyed by the diffID the record claims, and would vouch for any
                // blob that names a diffID this machine already knows: the blob's own tar decides.
                var diffId = Store.DiffIdOf(hit.Layer.Digest, hit.Layer.MediaType);
                if (diffId != hit.Layer.DiffId)
                {
                    Store.ForgetDiffId(hit.Layer.Digest);
                    diffId = Store.DiffIdOf(hit.Layer.Digest, hit.Layer.MediaType);
                }
                if (diffId != hit.Layer.DiffId)
                    return BuildCache.Damaged($"{BuildCache.Name}:{key.Tag}", key, $"its layer's tar is {diffId}, not the diffID {hit.Layer.DiffId} its record gives");
            }
        }
        catch (Exception e) when (e is ModulusException or InvalidDataException or EndOfStreamException)
        {
            return BuildCache.Damaged($"{BuildCache.Name}:{key.Tag}", key, e.Message);
        }
        Log.Progress($"Layer '{what}' taken from the build cache {BuildCache.Name}: {hit.Layer.Digest.ToString()[..19]} ({ActivityProgress.Size(hit.Layer.Size)})");
        return hit;
    }

    /// <summary>Records <paramref name="layer"/> under <paramref name="key"/> once the publish has built its image (<see cref="WriteCacheAsync"/>).</summary>
    public void CacheAfterwards(StepCacheKey key, ILayer layer, JsonElement data)
    {
        if (BuildCache is { } cache) _cacheWrites.Add(() => cache.StoreAsync(key, layer, data, Cancellation));
    }

    /// <summary>Writes the layers steps built into the build cache: only an image that was built whole, and validated, shares its layers.</summary>
    public async Task WriteCacheAsync()
    {
        foreach (var write in _cacheWrites) await write();
        _cacheWrites.Clear();
    }

    /// <summary>The Debian installation, once the Debian step ran (for the SBOM).</summary>
    public DebianInstallation? Debian { get; set; }

    /// <summary>The entries of the files layer and the apps' layers with their owners' ids, resolved by the Files step.</summary>
    public PlannedLayers? Planned { get; set; }

    /// <summary>The standard's findings, once the Validate step checked a run image; null for an image it does not check.</summary>
    public IReadOnlyList<Contract.ContractDiagnostic>? ContractFindings { get; set; }

    /// <summary>The finished image, once the Config step built it.</summary>
    public Image? Image { get; set; }

    /// <summary>Puts a step's layer on top of the image.</summary>
    public void Append(StepLayer layer)
    {
        _layers.Add(layer.Appended);
        _notInView.Add(layer);
    }

    /// <summary>
    /// A folder a layer needs but does not declare keeps its owner and mode from the layers below
    /// (a layer adding a file to /srv must not reset the base's /srv); else it is 0755 root:root.
    /// </summary>
    public DirectoryEntry? FolderBelow(UnixPath path) =>
        View.Get(path) is { Type: NodeType.Directory } node ? new DirectoryEntry(path, node.Uid, node.Gid, node.Mode & 0b111_111_111_111) : null;

    /// <summary>
    /// Writes a layer into the store, telling its progress as it goes; <paramref name="comment"/>
    /// is its history line. With <paramref name="foldersFromBelow"/>, the parent folders it needs
    /// but does not declare are written as <see cref="FolderBelow"/> has them.
    /// </summary>
    public StepLayer WriteLayer(IReadOnlyList<LayerEntry> entries, string comment, bool foldersFromBelow = false) =>
        WriteLayer(entries, comment, foldersFromBelow, layer => new AppendedLayer(layer, comment));

    /// <summary>As <see cref="WriteLayer(IReadOnlyList{LayerEntry}, string, bool)"/>, with <paramref name="history"/> making the history entry.</summary>
    public StepLayer WriteLayer(IReadOnlyList<LayerEntry> entries, string what, bool foldersFromBelow, Func<ILayer, AppendedLayer> history)
    {
        var contents = LayerContents.Of(entries, foldersFromBelow ? FolderBelow : null);
        var activity = Progress.Activity($"Writing layer '{what}'");
        var layer = Store.WriteLayer(contents, new LayerWriterOptions(Plan.Timestamp) { Progress = activity }, out var reused);
        // A layer whose inputs are those of one written before is that layer: nothing was written, and the line says so.
        if (reused) Log.Progress($"Layer '{what}' is unchanged: reused {layer.Digest.ToString()[..19]} ({ActivityProgress.Size(layer.Size)})");
        else activity.End();
        return new StepLayer(history(layer), contents);
    }
}
