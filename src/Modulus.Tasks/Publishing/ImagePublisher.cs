using System.Globalization;
using Modulus.Daemon;
using Modulus.Debian;
using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Pipeline;
using Modulus.Layers;
using Modulus.Plan;
using Modulus.Oci;
using Modulus.Registry;
using Modulus.Report;
using Modulus.Sbom;
using Modulus.Sinks;
using Modulus.Storage;

namespace Modulus.Publishing;

/// <summary>
/// Publishes an <see cref="ImagePlan"/>: base image, then a layer of Debian packages, layers of
/// Node.js runtimes and npm packages, layers of .NET runtimes, for a run image the contract layer, one layer of the
/// declared files and one layer per referenced .NET app; config changes and, for a run image,
/// validation against the standard; then the OCI layout, the docker-loadable tar, the whole
/// image's SBOM and modulus-image.json in the output folder. When the plan's fingerprint matches the last publish and its outputs exist, nothing is
/// rebuilt.
/// </summary>
public static class ImagePublisher
{
    public const string LayoutFolderName = "oci-layout";
    public const string ArchiveFileName = "image.tar";

    /// <summary>The outputs replaced as one set (see <see cref="OutputGeneration"/>); image.html only when the plan asks for it, and an old one goes.</summary>
    private static readonly string[] OutputNames = [LayoutFolderName, ArchiveFileName, ImageSbom.FileName, ReportPage.FileName, ImageReport.FileName];

    /// <summary>
    /// Publishes the plan. <paramref name="log"/> gets a start line, progress and the summary with
    /// each phase's time, measured with <paramref name="time"/> (the system clock by default).
    /// </summary>
    public static Task<PublishResult> PublishAsync(ImagePlan plan, IBuildLog log, CancellationToken cancellationToken, TimeProvider? time = null) =>
        PublishAsync(plan, declared: null, log, cancellationToken, time, debianHttp: null);

    /// <summary>
    /// As the public overload. <paramref name="declared"/> is the plan's files and apps as the
    /// caller already checked them (<see cref="LayerPlanner.Declare(ImagePlan)"/>; null: checked
    /// here, before anything is pulled); <paramref name="debianHttp"/> makes the Debian step's HTTP
    /// client (tests serve a mirror of their own).
    /// </summary>
    internal static async Task<PublishResult> PublishAsync(ImagePlan plan, DeclaredLayers? declared, IBuildLog log, CancellationToken cancellationToken,
        TimeProvider? time, Func<HttpClient>? debianHttp)
    {
        declared ??= LayerPlanner.Declare(plan);
        PublishResult result;
        // Held for the whole run: a prune of the cache waits until no publish holds it (docs/images.md, "The blob cache's size").
        using (await BlobCacheLock.ShareAsync(plan.BlobCacheDirectory, cancellationToken,
                   waiting: () => log.Summary($"Waiting for the prune or verify of the blob cache {plan.BlobCacheDirectory} to end")))
        {
            result = plan.IsMultiPlatform
                ? await IndexPublisher.PublishAsync(plan, declared, log, cancellationToken, time, debianHttp)
                : await PublishOneAsync(plan, declared, log, cancellationToken, time, debianHttp);
        }
        PruneCache(plan, log);
        return result;
    }

    /// <summary>The automatic prune, once this publish no longer holds the cache: skipped while another publish runs.</summary>
    private static void PruneCache(ImagePlan plan, IBuildLog log)
    {
        BlobCachePruneResult? pruned;
        try
        {
            pruned = BlobCachePruner.AfterPublish(plan.BlobCacheDirectory, plan.BlobCacheLimit);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The image is written: a cache that cannot be measured now is measured after the next publish.
            log.Detail($"The blob cache {plan.BlobCacheDirectory} was not measured: {e.Message}");
            return;
        }
        if (pruned is null) return;
        foreach (var (path, reason) in pruned.Failed) log.Warn(Errors.BlobCacheRemoveFailed, SourceLocation.Unknown, path, reason);
        if (pruned.Removed > 0) log.Summary(pruned.Summary());
        else log.Detail(pruned.Summary());
    }

    private static async Task<PublishResult> PublishOneAsync(ImagePlan plan, DeclaredLayers declared, IBuildLog log, CancellationToken cancellationToken,
        TimeProvider? time, Func<HttpClient>? debianHttp)
    {
        // Progress and the summary (docs/sdk.md, "What a publish prints"): one start line at every
        // verbosity, so a quiet build still says what it is waiting for.
        var progress = new PublishProgress(log, time);
        log.Summary($"Publishing image {Name(plan)} from {plan.BaseImage} for {plan.Platform}");

        var layoutPath = Path.Combine(plan.OutputDirectory, LayoutFolderName);
        var archivePath = Path.Combine(plan.OutputDirectory, ArchiveFileName);
        var reportPath = Path.Combine(plan.OutputDirectory, ImageReport.FileName);
        var start = await PublishStart.BeginAsync(plan, declared, OutputNames, progress, cancellationToken);
        var (store, registryOptions, baseImageDigest, inputs) = start;

        var previous = UpToDateReport(plan, start.Fingerprint(plan), reportPath);
        if (previous is not null)
        {
            DebianStep.WarnUpToDate(plan.Debian, log);
            var upToDate = await ImagePush.PushAsync(plan, previous, () => Published(previous), () => Published(previous), store, registryOptions, progress, cancellationToken);
            await FinishAsync(plan, previous, upToDate, progress, cancellationToken);
            log.Summary($"Image {Name(plan)} is up to date: {previous.ManifestDigest} ({FormatSize(previous.Size)}) in {previous.LayoutPath}");
            SummarizeTimes(progress);
            return new PublishResult(upToDate, reportPath, UpToDate: true);
        }

        Image image;
        ImageReport report;
        try
        {
            (image, report) = await BuildAndWriteAsync(plan, declared, store, registryOptions, baseImageDigest, inputs, progress, debianHttp, cancellationToken);
        }
        catch (ModulusException e) when (e.Error == Errors.CachedBlobCorrupt)
        {
            // The damaged blob is gone and nothing was switched in: one more build fetches a base
            // blob again from its source and writes a layer again. A second damaged blob is an error.
            log.Report(Diagnostic.Of(e, DiagnosticSeverity.Warning));
            log.Summary($"Building image {Name(plan)} again without the damaged blob");
            (image, report) = await BuildAndWriteAsync(plan, declared, store, registryOptions, baseImageDigest, inputs, progress, debianHttp, cancellationToken);
        }
        var pushed = await ImagePush.PushAsync(plan, report, () => PushContent.Of(image), () => Published(report), store, registryOptions, progress, cancellationToken);
        await FinishAsync(plan, report, pushed, progress, cancellationToken);
        // The summary comes last, after the push's own line, so the lines a build ends with say it all.
        log.Summary($"Published image {Name(plan)}: {report.ManifestDigest} ({FormatSize(report.Size)}) in {layoutPath}");
        SummarizeTimes(progress);
        return new PublishResult(pushed, reportPath, UpToDate: false);

        PushContent Published(ImageReport published) => PushContent.Of(ImagePush.ReadPublished(published, plan, store));
    }

    /// <summary>
    /// Builds the image and writes the outputs as one set (<see cref="OutputGeneration"/>) with the
    /// fingerprint of <paramref name="inputs"/>; a failure leaves the previous set and fingerprint.
    /// </summary>
    private static async Task<(Image Image, ImageReport Report)> BuildAndWriteAsync(ImagePlan plan, DeclaredLayers declared, BlobStore store, RegistryOptions registryOptions,
        string? baseImageDigest, string inputs, PublishProgress progress, Func<HttpClient>? debianHttp, CancellationToken cancellationToken)
    {
        var log = progress.Log;
        var layoutPath = Path.Combine(plan.OutputDirectory, LayoutFolderName);
        var archivePath = Path.Combine(plan.OutputDirectory, ArchiveFileName);
        var (image, debian, contents) = await BuildAsync(plan, declared, store, registryOptions, baseImageDigest, progress, debianHttp, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        var sbomPath = Path.Combine(plan.OutputDirectory, ImageSbom.FileName);
        var pagePath = contents is null ? null : Path.Combine(plan.OutputDirectory, ReportPage.FileName);
        var report = ImageReport.Of(image, plan, layoutPath, archivePath) with { SbomPath = sbomPath, PagePath = pagePath };
        // A lock file this publish wrote is an input of the image it built: the next publish must match it.
        var fingerprint = PlanFingerprint.WithDebianLock(inputs, plan);
        using var outputs = progress.Phase(PublishPhase.Outputs);
        OciLayoutWriter.EnsureReplaceable(layoutPath);
        WriteOutputs(plan.OutputDirectory, () => OutputGeneration.Replace(plan.OutputDirectory, OutputNames, ImageReport.FileName, next =>
        {
            // The writers copy whole blobs and say nothing while they do: one line when they are done.
            var written = progress.Activity($"Writing {LayoutFolderName} and {ArchiveFileName}");
            log.Detail($"Writing the OCI layout {layoutPath}");
            OciLayoutWriter.Write(image, Path.Combine(next, LayoutFolderName), plan.Tags.Select(TaggedName.Bare).ToArray());
            log.Detail($"Writing the image archive {archivePath}");
            DockerArchiveWriter.Write(image, Path.Combine(next, ArchiveFileName), plan.Tags.Select(t => TaggedName.Of(plan.Repository, t)).ToArray());
            written.Report(image.Size);
            written.End();
            log.Detail($"Writing the SBOM {sbomPath}");
            ImageSbom.Write(Path.Combine(next, ImageSbom.FileName), Name(plan), image.Layers, store, debian?.Packages ?? [], plan.Timestamp);
            if (contents is not null)
            {
                log.Detail($"Writing the image report {pagePath}");
                ReportPage.Write(Path.Combine(next, ReportPage.FileName), new ImageContents(Name(plan), null, [contents]));
            }
            // The report names the final paths: it is read only after the switch puts it beside them.
            report.Write(Path.Combine(next, ImageReport.FileName));
        },
        // Forgotten just before the switch and written after it: outputs left half switched by a
        // kill must not pass for the previous image if the inputs go back. A failure while writing
        // keeps the previous set and its fingerprint, so going back to its inputs is up to date.
        beforeSwitch: () => WriteOutputs(plan.IntermediateDirectory, () => PlanFingerprint.Forget(plan.IntermediateDirectory))));
        WriteOutputs(plan.IntermediateDirectory, () => PlanFingerprint.Write(plan.IntermediateDirectory, fingerprint));
        return (image, report);
    }

    /// <summary>
    /// What follows the push, rebuilt or up to date: modulus-image.json again when the push added
    /// to it, the ContainerArchiveOutputPath copy, and the load into the daemon.
    /// </summary>
    internal static async Task FinishAsync(ImagePlan plan, ImageReport written, ImageReport final, PublishProgress progress, CancellationToken cancellationToken)
    {
        if (final == written && !plan.LoadIntoDaemon && plan.ArchiveCopyPath is null) return;
        using var outputs = progress.Phase(PublishPhase.Outputs);
        if (final != written) WriteOutputs(plan.OutputDirectory, () => final.Write(Path.Combine(plan.OutputDirectory, ImageReport.FileName)));
        // A multi-platform publish's image.tar is a link to this machine's platform's tar: copy and load the tar itself.
        var archive = File.ResolveLinkTarget(written.ArchivePath, returnFinalTarget: true)?.FullName ?? written.ArchivePath;
        CopyArchive(plan, archive, progress.Log);
        await LoadAsync(plan, archive, progress.Log, cancellationToken);
    }

    /// <summary>The summary's last line: the time of each phase that ran, and of the whole publish.</summary>
    internal static void SummarizeTimes(PublishProgress progress) =>
        progress.Log.Summary(string.Create(CultureInfo.InvariantCulture, $"Publish times: {progress.Phases}; {progress.Elapsed.TotalSeconds:0.0} s in all"));

    internal static ImageReport? UpToDateReport(ImagePlan plan, string fingerprint, string reportPath)
    {
        if (PlanFingerprint.Read(plan.IntermediateDirectory) != fingerprint) return null;
        var report = ImageReport.TryRead(reportPath);
        if (report is null || !Directory.Exists(report.LayoutPath)) return null;
        // Every image has an SBOM; a report without one is from a Modulus that wrote none.
        if (report.SbomPath is null || !report.OutputFiles.All(File.Exists)) return null;
        return report;
    }

    /// <summary>
    /// Runs the steps of a build (see <see cref="StepRunner.Build"/>) and returns the finished
    /// image, and what image.html shows of it when the plan asks for the page (gathered from the
    /// view the steps grew, no layer read again).
    /// </summary>
    internal static async Task<(Image Image, DebianInstallation? Debian, PlatformContents? Contents)> BuildAsync(
        ImagePlan plan, DeclaredLayers declared, BlobStore store, RegistryOptions registryOptions, string? baseImageDigest, PublishProgress progress,
        Func<HttpClient>? debianHttp, CancellationToken cancellationToken)
    {
        var context = new StepContext(plan, declared, store, progress, registryOptions, cancellationToken)
        {
            BaseImageDigest = baseImageDigest,
            BuildCache = plan.CacheRepository is { } cache ? new BuildCache.RegistryBuildCache(cache, registryOptions, store, progress.Log) : null,
        };
        if (debianHttp is not null) context.DebianHttp = debianHttp;
        await StepRunner.RunAsync(StepRunner.Build, context);
        await context.WriteCacheAsync();
        return (context.Image!, context.Debian, plan.WriteImageReport ? Contents(context) : null);
    }

    private static PlatformContents Contents(StepContext context)
    {
        var plan = context.Plan;
        var contract = plan.Contract;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var contents = PlatformContentsReader.Read(context.Image!, context.View, plan.BaseImage.ToString(), context.Base.Layers.Count,
            context.BaseImageDigest ?? (context.Base.Layers.Count == 0 ? null : context.Base.ManifestDigest.ToString()),
            context.ContractFindings, startChecked: contract.StartCommand is not null || contract.StartScript is not null,
            build: contract.Kind == Contract.ImageKind.Build);
        context.Log.Detail($"Gathered the image report of {plan.Platform} in {clock.ElapsedMilliseconds} ms");
        return contents;
    }

    /// <summary>
    /// ContainerArchiveOutputPath: the docker-loadable tar copied where the .NET SDK would write
    /// its archive, also when the image is up to date; an unchanged copy is not written again.
    /// </summary>
    private static void CopyArchive(ImagePlan plan, string archivePath, IBuildLog log)
    {
        if (plan.ArchiveCopyPath is not { } target) return;
        var source = new FileInfo(archivePath);
        var existing = new FileInfo(target);
        if (existing.Exists && existing.Length == source.Length && existing.LastWriteTimeUtc == source.LastWriteTimeUtc) return;
        WriteOutputs(Path.GetDirectoryName(target)!, () =>
        {
            log.Detail($"Copying the image archive to {target}");
            var temporary = target + ".tmp";
            File.Copy(archivePath, temporary, overwrite: true);
            File.SetLastWriteTimeUtc(temporary, source.LastWriteTimeUtc);
            File.Move(temporary, target, overwrite: true);
        });
        log.Summary($"Wrote the image archive {target}");
    }

    private static async Task LoadAsync(ImagePlan plan, string archivePath, IBuildLog log, CancellationToken cancellationToken)
    {
        if (!plan.LoadIntoDaemon) return;
        log.Detail($"Loading {archivePath} into the Docker daemon");
        await DockerDaemon.LoadAsync(archivePath, plan.DockerHost, cancellationToken);
        log.Summary($"Loaded image {Name(plan)} into the Docker daemon");
    }

    /// <summary>Runs a step that writes into <paramref name="folder"/>, turning file system failures into a user error.</summary>
    internal static void WriteOutputs(string folder, Action write)
    {
        try
        {
            Directory.CreateDirectory(folder);
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModulusException(Errors.OutputUnwritable, e, folder, e.Message);
        }
    }

    internal static string Name(ImagePlan plan) => $"{plan.Repository}:{string.Join(",", plan.Tags)}";

    internal static string FormatSize(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.0} MiB"),
    };
}
