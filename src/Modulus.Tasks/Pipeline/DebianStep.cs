using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.Json;
using Modulus.BuildCache;
using Modulus.Plan;
using Modulus.Debian;
using Modulus.Diagnostics;

namespace Modulus.Pipeline;

/// <summary>
/// The Debian packages of the plan, installed on the base as one layer below everything Modulus
/// adds. An error points at the package it names, else at the first package declared.
/// </summary>
internal sealed class DebianStep : PublishStep
{
    /// <summary>Per request; the installer retries failed downloads itself, and a large .deb on a slow mirror needs minutes.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromMinutes(5);


    public override string Name => "Debian";

    public override SourceLocation LocationOf(ImagePlan plan, ModulusException error) =>
        plan.Debian?.LocationFor(error.Text) ?? SourceLocation.Unknown;

    public override async Task<IReadOnlyList<StepLayer>> RunAsync(StepContext context)
    {
        if (context.Plan.Debian is not { } debian) return [];
        var log = context.Log;
        var lockFile = LockFileRead.Of(debian.Request);
        var pinned = PinnedLock(context, lockFile);
        var key = KeyOf(context, pinned);
        if (key is not null && await FromCacheAsync(context, key, pinned!) is { } hit) return [hit];
        if (context.BuildCache is { } cache && key is null)
            log.Detail($"The Debian packages are not pinned by a lock file's entry for the architecture: their layer is built here, not taken from the build cache {cache.Name}");
        log.Detail($"Installing Debian packages {string.Join(", ", debian.Request.Packages)} from {debian.Request.Suite}");
        DebianInstallation installation;
        using (var http = context.DebianHttp())
            installation = await DebianInstaller.PlanAsync(debian.Request, context.Base, context.Store, http, context.Cancellation, context.Progress, context.View, lockFile.Get);
        foreach (var warning in installation.Warnings) log.Report(warning);
        context.Debian = installation;
        log.Detail($"Writing a layer of {installation.Packages.Count} Debian packages");
        var layer = context.WriteLayer(installation.Entries, LayerHistory.Debian, foldersFromBelow: true, installation.Appended);
        // Only a lock's own entry is shared: without one, another machine's resolution may pick other
        // versions. With a lock file, what was installed is its entry for the architecture, found or
        // written by this publish: the next publish reads it and asks for this key.
        if (debian.Request.LockFilePath is not null && KeyOf(context, installation.Lock) is { } installed)
            context.CacheAfterwards(installed, layer.Appended.Layer, JsonSerializer.SerializeToElement(installation.Packages));
        return [layer];
    }

    /// <summary>The build cache's name of this step (<see cref="BuildCache.StepCacheKey"/>).</summary>
    public const string CacheStep = "debian";

    /// <summary>
    /// The lock file, read once for the step: the cache's key and the installer both take it from
    /// here. An error reading it is the installer's to report, as without a build cache.
    /// </summary>
    private sealed class LockFileRead
    {
        private DebianLockFile? _file;
        private ExceptionDispatchInfo? _error;

        public DebianLockFile? File => _error is null ? _file : null;

        public static LockFileRead Of(DebianRequest request)
        {
            var read = new LockFileRead();
            if (request.LockFilePath is not { } path) return read;
            try
            {
                read._file = DebianLockFile.ReadIfExists(path);
            }
            catch (Exception e) when (e is ModulusException or JsonException or IOException or UnauthorizedAccessException)
            {
                read._error = ExceptionDispatchInfo.Capture(e);
            }
            return read;
        }

        public DebianLockFile? Get()
        {
            _error?.Throw();
            return _file;
        }
    }

    /// <summary>
    /// The lock file's entry for the base's architecture, when it pins what this publish installs:
    /// null without a build cache, a lock file or an entry for the architecture, or on a refresh
    /// (which resolves again whatever the file says).
    /// </summary>
    private static DebianLock? PinnedLock(StepContext context, LockFileRead lockFile)
    {
        var request = context.Plan.Debian!.Request;
        if (context.BuildCache is null || request.RefreshLock) return null;
        return DebianRequest.TryArchitectureOf(context.Base.Platform) is { } architecture ? lockFile.File?.For(architecture) : null;
    }

    /// <summary>
    /// What decides the layer beyond the layers below it: the request without what only says where
    /// packages come from (the lock pins each by its SHA-256) and <paramref name="locked"/>, the lock
    /// file's entry for the base's architecture. Null without a build cache or an entry: packages
    /// not pinned are resolved again every time, and a layer of another machine's resolution would
    /// be another image.
    /// </summary>
    private static StepCacheKey? KeyOf(StepContext context, DebianLock? locked)
    {
        if (locked is null) return null;
        // RefreshLock too: the next publish, which does not refresh, asks for the layer of the lock this one wrote.
        var request = context.Plan.Debian!.Request;
        var pinned = request with { LockFilePath = null, Mirror = null, AptConfigurationRoot = string.Empty, KeyringPath = null, VerifySignatures = true, RefreshLock = false };
        return context.CacheKey(CacheStep, [JsonSerializer.Serialize(pinned), JsonSerializer.Serialize(locked)]);
    }

    private static async Task<StepLayer?> FromCacheAsync(StepContext context, StepCacheKey key, DebianLock locked)
    {
        if (await context.FromCacheAsync(key, LayerHistory.Debian) is not { } hit) return null;
        InstalledPackage[]? packages;
        try
        {
            packages = hit.Data.Deserialize<InstalledPackage[]>();
        }
        catch (JsonException)
        {
            packages = null;
        }
        if (packages is null || packages.Any(p => p is null))
        {
            context.BuildCache!.Damaged($"{context.BuildCache.Name}:{key.Tag}", key, "its record lists no packages");
            return null;
        }
        var request = context.Plan.Debian!.Request;
        var installation = new DebianInstallation([], locked, packages, request.VerifySignatures ? [] : [DebianInstaller.SignaturesNotVerified(request)]);
        foreach (var warning in installation.Warnings) context.Log.Report(warning);
        context.Debian = installation;
        return new StepLayer(installation.Appended(hit.Layer), null);
    }

    /// <summary>
    /// The inputs beyond the plan's own fields: the mirror variable (the request leaves it unset)
    /// and the lock file's entries for the plan's architectures, so an edited or refreshed lock
    /// rebuilds the image, and another platform's architecture added to a shared lock does not.
    /// </summary>
    public static void AppendFingerprint(StringBuilder text, ImagePlan plan)
    {
        if (plan.Debian is not { } debian) return;
        text.Append("debian-mirror|").AppendLine(Environment.GetEnvironmentVariable(DebianInstaller.MirrorVariable));
        if (debian.Request.LockFilePath is not { } lockPath) return;
        text.Append(lockPath).Append('|');
        text.AppendLine(DebianLockFile.Fingerprint(lockPath, Architectures(plan)));
    }

    /// <summary>A platform without a Debian architecture is named as it is: its build fails with MOD3016 anyway.</summary>
    private static IEnumerable<string> Architectures(ImagePlan plan) =>
        (plan.IsMultiPlatform ? plan.Platforms : [plan.Platform]).Select(p => DebianRequest.TryArchitectureOf(p) ?? p.ToString());

    /// <summary>
    /// Warnings that hold for every publish of the plan, including one that is up to date and so
    /// never runs the installer (which gives the same text when it runs).
    /// </summary>
    public static void WarnUpToDate(PlannedDebian? debian, IBuildLog log)
    {
        if (debian is { Request.VerifySignatures: false }) log.Report(DebianInstaller.SignaturesNotVerified(debian.Request));
    }
}
