using System.Collections.Concurrent;
using Modulus.Diagnostics;
using Modulus.Http;
using Modulus.Images;
using Modulus.Layers;
using Modulus.Storage;

namespace Modulus.Debian;

/// <summary>
/// Installs Debian packages into one layer on top of a base image, in named steps: read the
/// base's dpkg state, resolve (or follow the lock file), fetch and unpack each .deb once into
/// the cache, then lay out files, dpkg's database and the maintainer scripts' needed effects.
/// Caches live under the blob store's root: indexes and .debs as blobs, unpacked packages in
/// <c>debian/unpacked/SHA256</c>. A build with a matching lock file and a warm cache makes no
/// network request.
/// </summary>
public static class DebianInstaller
{
    public const string MirrorVariable = "MODULUS_DEBIAN_MIRROR";

    /// <summary>
    /// The layer entries that install <paramref name="request"/> on <paramref name="baseImage"/>
    /// (whose platform gives the Debian architecture), using <paramref name="store"/>'s folder as
    /// the cache and <paramref name="http"/> for every download. Write them with
    /// <see cref="DebianInstallation.WriteLayer"/> and append the layer to the base. <paramref name="progress"/>,
    /// when given, times resolution and downloads as the publish's phases and tells how they go.
    /// <paramref name="baseView"/>, when given, is the base's merged view already read (see
    /// <see cref="BaseSystem.ReadsBody"/> for the files worth keeping in that read). <paramref name="lockFile"/>,
    /// when given, gives the lock file at the request's path as the caller already read it.
    /// </summary>
    public static async Task<DebianInstallation> PlanAsync(
        DebianRequest request, Image baseImage, BlobStore store, HttpClient http, CancellationToken cancellationToken = default,
        PublishProgress? progress = null, ImageFileSystem? baseView = null, Func<DebianLockFile?>? lockFile = null)
    {
        var architecture = DebianRequest.ArchitectureOf(baseImage.Platform);
        var baseState = baseView is null ? BaseSystem.Read(baseImage) : BaseSystem.Of(baseView);
        DebianLock locked;
        using (progress?.Phase(PublishPhase.Resolve))
            locked = await ResolveAsync(request, baseImage, baseState, store, http, progress, lockFile, cancellationToken);
        List<Diagnostic> warnings = request.VerifySignatures ? [] : [SignaturesNotVerified(request)];

        var installedInBase = baseState.Status.Select(p => (p.Name, p.Version.Text)).ToHashSet();
        var toInstall = locked.Packages.Where(p => !installedInBase.Contains((p.Name, p.Version))).ToList();
        var mirrors = new Lazy<IReadOnlyList<DebianSource>>(() => Sources(request, required: false));
        var unpacked = new UnpackedPackage[toInstall.Count];
        // Only packages the cache lacks are counted: a warm cache downloads nothing and says nothing.
        var missing = toInstall.Where(p => !UnpackedPackage.Exists(UnpackedFolder(store, p))).ToHashSet();
        var downloads = missing.Count == 0 ? null : progress?.Activity("Downloading Debian packages", "packages", missing.Count, missing.Sum(p => p.Size));
        var downloader = new DebianDownloader(http, store) { Received = downloads, Retry = RetryFor(progress) };
        // Each package's warnings apart, then in install order: the same words whichever download ends first.
        var packageWarnings = toInstall.Select(_ => new List<Diagnostic>()).ToArray();
        using (progress?.Phase(PublishPhase.Download))
        {
            // A few packages at a time: one's download overlaps another's unpacking, as apt
            // overlaps its own; the order they are installed in stays the lock's.
            await Parallel.ForEachAsync(Enumerable.Range(0, toInstall.Count),
                new ParallelOptions { MaxDegreeOfParallelism = ParallelDownloads, CancellationToken = cancellationToken }, async (i, ct) =>
                {
                    unpacked[i] = await UnpackAsync(toInstall[i], mirrors, store, downloader, packageWarnings[i], ct);
                    if (missing.Contains(toInstall[i])) downloads?.ItemDone();
                });
            downloads?.End();
        }
        warnings.AddRange(packageWarnings.SelectMany(w => w));

        var mergedUsr = baseImage.Layers.Count == 0 || baseState.MergedUsr;
        var pathFilter = request.PathFilter();
        // dpkg in the image reads the base's dpkg.cfg.d too; the project's rules are one file there.
        var unpackFilter = DpkgPathFilter.InImage(baseState.FileSystem, pathFilter);
        var baseOverrides = StatOverride.ReadText(baseState.FileSystem);
        var tree = new InstallTree(mergedUsr ? InstallTree.MergedUsrDirectories(architecture) : [], baseState.FileSystem is { } baseFiles ? baseFiles.Resolve : null, unpackFilter)
        {
            ClearSetuid = request.ClearSetuid,
            BaseOverrides = StatOverride.Parse(baseOverrides, baseState.FileSystem),
        };
        if (baseImage.Layers.Count == 0) tree.AddMergedUsrLinks();
        foreach (var package in unpacked) tree.AddPackage(package);
        // dpkg in an image built on this one then leaves out the same paths.
        if (pathFilter is not null)
            tree.Put(new FileEntry(UnixPath.Parse(DpkgPathFilter.ConfigurationPath), FileContent.FromText(pathFilter.ToConfiguration(), "dpkg path filters")));
        // dpkg then keeps the cleared modes when a package is upgraded in an image built on this one.
        if (tree.StatOverrides.Count > 0)
            tree.Put(new FileEntry(UnixPath.Parse(StatOverride.FilePath), FileContent.FromText(StatOverride.Merge(baseOverrides, tree.StatOverrides), "dpkg stat overrides")));
        DpkgDatabase.Write(tree, unpacked, baseState.Status.Select(p => p.Control).ToList());
        MaintainerScriptEffects.AddFirstInstallFiles(tree, unpacked, baseState.Has);
        UpdateAlternatives.Apply(tree, unpacked);

        var installed = toInstall.Zip(unpacked, (l, u) => new InstalledPackage(l.Name, l.Version, l.Architecture,
            (u.Control["Source"] ?? l.Name).Split(' ')[0], l.Sha256, DebianSbom.LicenseOf(tree, l.Name))).ToList();
        return new DebianInstallation(tree.ToEntries(), locked, installed, warnings);
    }

    /// <summary>
    /// The packages to install: the lock file's entry for the base's architecture when it exists
    /// and answers the request (unless <see cref="DebianRequest.RefreshLock"/>), else a fresh
    /// resolution against the signed indexes of that architecture, added to the lock file when
    /// one is named (<see cref="DebianLocking"/>).
    /// </summary>
    public static Task<DebianLock> ResolveAsync(
        DebianRequest request, Image baseImage, BlobStore store, HttpClient http, CancellationToken cancellationToken = default) =>
        ResolveAsync(request, baseImage, BaseSystem.Read(baseImage), store, http, null, null, cancellationToken);

    private static async Task<DebianLock> ResolveAsync(
        DebianRequest request, Image baseImage, BaseSystem baseState, BlobStore store, HttpClient http, PublishProgress? progress,
        Func<DebianLockFile?>? lockFile, CancellationToken cancellationToken)
    {
        var architecture = DebianRequest.ArchitectureOf(baseImage.Platform);
        var minimal = request.MinimalSystem ?? baseState.Status.Count == 0;
        var relations = request.Packages;
        var requestText = relations.Select(r => r.ToString()).ToList();
        var lockPath = request.LockFilePath;
        // Read without the file's lock: it is only ever replaced whole, and most builds only read it.
        if (lockPath is not null && !request.RefreshLock
            && DebianLocking.Existing(lockFile is null ? DebianLockFile.ReadIfExists(lockPath) : lockFile(), lockPath, request.Suite, architecture, requestText, minimal, refresh: false) is { } existing)
            return existing;
        var sources = Sources(request, required: true);
        // Indexes are tens of megabytes the first time; their bytes are the progress to tell.
        var resolving = progress?.Activity($"Resolving Debian packages from {request.Suite}", "packages");
        var downloader = new DebianDownloader(http, store) { Received = resolving, Retry = RetryFor(progress) };
        var pool = new PackagePool(await FetchIndexesAsync(request, sources, architecture, downloader, cancellationToken), architecture);
        var wanted = minimal ? pool.Required().Select(p => new Relation(p.Name, null, null)).Concat(relations) : relations;
        var mergedUsr = baseImage.Layers.Count == 0 || baseState.MergedUsr;
        var resolved = new DependencyResolver(pool, baseState.Status, mergedUsr ? DependencyResolver.MergedUsrLastResort : null).Resolve(wanted);
        resolving?.Add(0, resolved.Count);
        resolving?.End();
        var locked = ToLock(request.Suite, architecture, requestText, minimal, resolved);
        return lockPath is null ? locked : await DebianLocking.AddAsync(lockPath, locked, request.RefreshLock, cancellationToken);
    }

    /// <summary>
    /// The warning of every install of <paramref name="request"/> without signature checks, also
    /// one that is up to date and so never runs the installer.
    /// </summary>
    public static Diagnostic SignaturesNotVerified(DebianRequest request) =>
        Diagnostic.Warning(Errors.DebianSignaturesNotVerified, SourceLocation.Unknown, request.Mirror ?? request.Suite);

    /// <summary>Retries are told in the publish's log, as the registry's are.</summary>
    private static RetryPolicy RetryFor(PublishProgress? progress) =>
        progress is null ? DebianDownloader.DefaultRetry : DebianDownloader.DefaultRetry with { Log = progress.Log };

    /// <summary>The user's mirror (property, then environment), else the machine's apt sources for the suite.</summary>
    private static IReadOnlyList<DebianSource> Sources(DebianRequest request, bool required)
    {
        var mirror = request.Mirror ?? Environment.GetEnvironmentVariable(MirrorVariable);
        if (!string.IsNullOrWhiteSpace(mirror)) return [new DebianSource(mirror.Trim(), request.Suite, request.Components)];
        var sources = AptSources.ForSuite(AptSources.Read(request.AptConfigurationRoot), request.Suite);
        if (sources.Count == 0 && required)
            throw new ModulusException(Errors.DebianMirrorNotConfigured, request.Suite,
                $"no mirror was given and {request.AptConfigurationRoot} has no entry for it");
        return sources;
    }

    private static async Task<IReadOnlyList<DebianPackage>> FetchIndexesAsync(
        DebianRequest request, IReadOnlyList<DebianSource> sources, string architecture, DebianDownloader downloader, CancellationToken cancellationToken)
    {
        var verifiers = new Dictionary<string, InReleaseVerifier>(StringComparer.Ordinal);
        var packages = new List<DebianPackage>();
        foreach (var source in sources)
        {
            InReleaseVerifier? verifier = null;
            if (request.VerifySignatures)
            {
                var keyring = request.KeyringPath ?? source.SignedBy ?? DebianRequest.DefaultKeyringPath;
                if (!verifiers.TryGetValue(keyring, out verifier)) verifiers[keyring] = verifier = InReleaseVerifier.FromKeyring(keyring);
            }
            var release = await downloader.FetchReleaseAsync(source, verifier, cancellationToken);
            var components = source.Components.Count == 0 ? request.Components : request.Components.Intersect(source.Components).ToList();
            foreach (var component in components)
                packages.AddRange(await downloader.FetchPackagesAsync(source, release, component, architecture, cancellationToken));
        }
        return packages;
    }

    private static DebianLock ToLock(string suite, string architecture, IReadOnlyList<string> request, bool minimal, IReadOnlyList<DebianPackage> resolved)
    {
        var packages = resolved.Select(p => new LockedPackage(p.Name, p.Version.Text, p.Architecture,
            p.Sha256!, p.Filename!, p.Size, p.Origin!.Suite, p.Origin.Component)).ToList();
        var indexes = resolved.Select(p => p.Origin!)
            .Select(o => new LockedIndex(o.Suite, o.Component, o.ReleaseDate)).Distinct()
            .OrderBy(i => i.Suite, StringComparer.Ordinal).ThenBy(i => i.Component, StringComparer.Ordinal)
            .ToList();
        return new DebianLock(DebianLock.CurrentVersion, suite, architecture, request, minimal, indexes, packages);
    }

    /// <summary>How many packages are fetched and unpacked at the same time.</summary>
    internal const int ParallelDownloads = 4;

    /// <summary>
    /// One gate per unpacked folder: the platforms of one publish share Architecture: all
    /// packages, and the second to want one waits for the first's download instead of fetching it too.
    /// </summary>
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Unpacking = new(StringComparer.Ordinal);

    private static string UnpackedFolder(BlobStore store, LockedPackage package) => Path.Combine(store.Root, "debian", "unpacked", package.Sha256);

    /// <summary>The unpacked package from the cache; fetched from the mirror configured for its suite only when missing.</summary>
    private static async Task<UnpackedPackage> UnpackAsync(
        LockedPackage package, Lazy<IReadOnlyList<DebianSource>> mirrors, BlobStore store, DebianDownloader downloader, List<Diagnostic> warnings, CancellationToken cancellationToken)
    {
        var folder = UnpackedFolder(store, package);
        if (UnpackedPackage.Exists(folder)) return UnpackedPackage.Load(folder);
        var gate = Unpacking.GetOrAdd(folder, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            return UnpackedPackage.Exists(folder)
                ? UnpackedPackage.Load(folder)
                : await FetchAndUnpackAsync(package, folder, mirrors, downloader, warnings, cancellationToken);
        }
        finally
        {
            gate.Release();
            // Once the folder is whole, every later caller takes the fast path: the gate can go.
            if (UnpackedPackage.Exists(folder)) Unpacking.TryRemove(new KeyValuePair<string, SemaphoreSlim>(folder, gate));
        }
    }

    private static async Task<UnpackedPackage> FetchAndUnpackAsync(
        LockedPackage package, string folder, Lazy<IReadOnlyList<DebianSource>> mirrors, DebianDownloader downloader, List<Diagnostic> warnings, CancellationToken cancellationToken)
    {
        var candidates = mirrors.Value.Where(s => s.Suite == package.Suite).Select(s => s.BaseUri).Distinct().ToList();
        if (candidates.Count == 0)
            throw new ModulusException(Errors.DebianMirrorNotConfigured, package.Suite,
                $"the lock file installs {package.Name} from suite {package.Suite}, which neither the mirror given nor the machine's apt configuration offers");
        // Every mirror of the suite is asked in turn: one may still hold a version another has
        // dropped, or answer when another is down. The SHA256 from the lock decides what is
        // accepted, wherever it comes from.
        ModulusException? failure = null;
        foreach (var mirror in candidates)
        {
            string? deb;
            try
            {
                deb = await downloader.FetchDebAsync(mirror, package.Filename, package.Sha256, cancellationToken, package.Size);
            }
            catch (ModulusException e) when (e.Error == Errors.DebianFetchFailed || e.Error == Errors.DebianPackageHashMismatch)
            {
                // Said even when another mirror then serves the file: a mirror with wrong bytes is news.
                if (e.Error == Errors.DebianPackageHashMismatch) warnings.Add(Diagnostic.Of(e, DiagnosticSeverity.Warning));
                failure ??= e;
                continue;
            }
            if (deb is not null) return DebUnpacker.Unpack(deb, folder, $"{package.Name} {package.Version} ({package.Filename})");
        }
        throw failure ?? new ModulusException(Errors.DebianLockedPackageGone, package.Name, package.Version, package.Filename, string.Join(", ", candidates));
    }
}
