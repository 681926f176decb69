using System.Globalization;
using Modulus.Contract;
using Modulus.Daemon;
using Modulus.Debian;
using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Layers;
using Modulus.Oci;
using Modulus.Registry;
using Modulus.Sbom;
using Modulus.Sinks;
using Modulus.Sources;
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

    /// <summary>
    /// Publishes the plan. <paramref name="log"/> gets a start line, progress and the summary with
    /// each phase's time, measured with <paramref name="time"/> (the system clock by default).
    /// </summary>
    public static async Task<PublishResult> PublishAsync(ImagePlan plan, IPublishLog log, CancellationToken cancellationToken, TimeProvider? time = null)
    {
        LayerPlanner.Validate(plan);
        // Progress and the summary (docs/sdk.md, "What a publish prints"): one start line at every
        // verbosity, so a quiet build still says what it is waiting for.
        var progress = new PublishProgress(log, time);
        log.Summary($"Publishing image {Name(plan)} from {plan.BaseImage} for {plan.Platform}");

        var layoutPath = Path.Combine(plan.OutputDirectory, LayoutFolderName);
        var archivePath = Path.Combine(plan.OutputDirectory, ArchiveFileName);
        var reportPath = Path.Combine(plan.OutputDirectory, ImageReport.FileName);
        var store = new BlobStore(plan.BlobCacheDirectory);
        var registryOptions = RegistryStep.Options(plan, log);
        string? baseImageDigest;
        using (progress.Phase(PublishPhase.Resolve))
            baseImageDigest = await RegistryStep.ResolveBaseAsync(plan, store, registryOptions, cancellationToken);
        var inputs = PlanFingerprint.Inputs(plan, baseImageDigest);
        var fingerprint = PlanFingerprint.WithDebianLock(inputs, plan);

        var previous = UpToDateReport(plan, fingerprint, reportPath);
        if (previous is not null)
        {
            DebianStep.WarnUpToDate(plan.Debian, log);
            var upToDate = await RegistryStep.PushAsync(plan, previous, () => RegistryStep.ReadPublished(previous, plan, store), store, registryOptions, progress, cancellationToken);
            using (upToDate != previous || plan.LoadIntoDaemon || plan.ArchiveCopyPath is not null ? progress.Phase(PublishPhase.Outputs) : null)
            {
                if (upToDate != previous) WriteOutputs(plan.OutputDirectory, () => upToDate.Write(reportPath));
                CopyArchive(plan, previous.ArchivePath, log);
                await LoadAsync(plan, previous.ArchivePath, log, cancellationToken);
            }
            log.Summary($"Image {Name(plan)} is up to date: {previous.ManifestDigest} ({FormatSize(previous.Size)}) in {previous.LayoutPath}");
            SummarizeTimes(progress);
            return new PublishResult(upToDate, reportPath, UpToDate: true);
        }

        var (image, debian) = await BuildAsync(plan, store, registryOptions, baseImageDigest, progress, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        var sbomPath = Path.Combine(plan.OutputDirectory, ImageSbom.FileName);
        var report = ImageReport.Of(image, plan, layoutPath, archivePath) with { SbomPath = sbomPath };
        // A lock file this publish wrote is an input of the image it built: the next publish must match it.
        if (plan.Debian is not null) fingerprint = PlanFingerprint.WithDebianLock(inputs, plan);
        // Forgotten first and written last: outputs left half replaced by a failed publish must
        // not pass for the previous image if the inputs go back to what they were.
        var outputs = progress.Phase(PublishPhase.Outputs);
        WriteOutputs(plan.IntermediateDirectory, () => PlanFingerprint.Forget(plan.IntermediateDirectory));
        WriteOutputs(plan.OutputDirectory, () =>
        {
            // The writers copy whole blobs and say nothing while they do: one line when they are done.
            var written = progress.Activity($"Writing {LayoutFolderName} and {ArchiveFileName}");
            log.Detail($"Writing the OCI layout {layoutPath}");
            OciLayoutWriter.Write(image, layoutPath, plan.Tags.Select(TaggedName.Bare).ToArray());
            log.Detail($"Writing the image archive {archivePath}");
            DockerArchiveWriter.Write(image, archivePath, plan.Tags.Select(t => TaggedName.Of(plan.Repository, t)).ToArray());
            written.Report(image.Size);
            written.End();
            log.Detail($"Writing the SBOM {sbomPath}");
            ImageSbom.Write(sbomPath, Name(plan), image.Layers, store, debian?.Packages ?? [], plan.Timestamp);
            report.Write(reportPath);
        });
        WriteOutputs(plan.IntermediateDirectory, () => PlanFingerprint.Write(plan.IntermediateDirectory, fingerprint));
        outputs.Dispose();
        var pushed = await RegistryStep.PushAsync(plan, report, () => image, store, registryOptions, progress, cancellationToken);
        using (progress.Phase(PublishPhase.Outputs))
        {
            if (pushed != report) WriteOutputs(plan.OutputDirectory, () => pushed.Write(reportPath));
            CopyArchive(plan, archivePath, log);
            await LoadAsync(plan, archivePath, log, cancellationToken);
        }
        // The summary comes last, after the push's own line, so the lines a build ends with say it all.
        log.Summary($"Published image {Name(plan)}: {report.ManifestDigest} ({FormatSize(report.Size)}) in {layoutPath}");
        SummarizeTimes(progress);
        return new PublishResult(pushed, reportPath, UpToDate: false);
    }

    /// <summary>The summary's last line: the time of each phase that ran, and of the whole publish.</summary>
    private static void SummarizeTimes(PublishProgress progress) =>
        progress.Log.Summary(string.Create(CultureInfo.InvariantCulture, $"Publish times: {progress.Phases}; {progress.Elapsed.TotalSeconds:0.0} s in all"));

    private static ImageReport? UpToDateReport(ImagePlan plan, string fingerprint, string reportPath)
    {
        if (PlanFingerprint.Read(plan.IntermediateDirectory) != fingerprint) return null;
        var report = ImageReport.TryRead(reportPath);
        if (report is null || !Directory.Exists(report.LayoutPath) || !File.Exists(report.ArchivePath)) return null;
        // Every image has an SBOM; a report without one is from a Modulus that wrote none.
        if (report.SbomPath is null || !File.Exists(report.SbomPath)) return null;
        return report;
    }

    private static async Task<(Image Image, DebianInstallation? Debian)> BuildAsync(
        ImagePlan plan, BlobStore store, RegistryOptions registryOptions, string? baseImageDigest, PublishProgress progress, CancellationToken cancellationToken)
    {
        var log = progress.Log;
        using var layersPhase = progress.Phase(PublishPhase.Layers);
        log.Detail($"Loading base image {plan.BaseImage} for {plan.Platform}");
        Image baseImage;
        try
        {
            baseImage = await RegistryStep.LoadBaseAsync(plan, store, registryOptions, progress, cancellationToken);
        }
        catch (ModulusException e) when (e.File is null && plan.BaseImageLocation.File is not null)
        {
            throw e.At(plan.BaseImageLocation.File, plan.BaseImageLocation.Line);
        }
        cancellationToken.ThrowIfCancellationRequested();

        var layers = new List<AppendedLayer>();
        DebianInstallation? debian = null;
        if (plan.Debian is not null)
        {
            var baseFiles = new Lazy<ImageFileSystem>(() => ImageFileSystem.Read(baseImage.Layers));
            var debianOptions = new LayerWriterOptions(plan.Timestamp)
            {
                ImpliedParent = baseImage.Layers.Count == 0 ? null : path => BaseDirectory(baseFiles.Value, path),
            };
            (var debianLayer, debian) = await DebianStep.InstallAsync(plan.Debian, baseImage, store, debianOptions, progress, cancellationToken);
            layers.Add(debianLayer);
        }

        // Node.js runtimes and npm packages: each runtime a layer, the packages one, below the project's files.
        IReadOnlyList<(string Comment, IReadOnlyList<LayerEntry> Entries)> npmLayers;
        using (plan.NodeRuntimes.Count + plan.NpmPackages.Count > 0 ? progress.Phase(PublishPhase.Download) : null)
            npmLayers = await NpmStep.LayersAsync(plan, log, cancellationToken);
        foreach (var (comment, npmEntries) in npmLayers)
        {
            log.Detail($"Writing a layer of {npmEntries.Count} entries: {comment}");
            layers.Add(WriteLayer(progress, store, npmEntries, new LayerWriterOptions(plan.Timestamp), comment));
        }

        // .NET shared frameworks from NuGet runtime packs: a layer per version, then the muxer.
        foreach (var (comment, dotnetEntries) in DotnetStep.Layers(plan, log))
        {
            log.Detail($"Writing a layer of {dotnetEntries.Count} entries: {comment}");
            layers.Add(WriteLayer(progress, store, dotnetEntries, new LayerWriterOptions(plan.Timestamp), comment));
        }

        // Layers that install software (Debian packages, Node.js runtimes, npm packages, .NET) come
        // before the contract layer: it is generated over the merged view of everything below it.
        if (ContractStep.Layer(plan, [.. baseImage.Layers, .. layers.Select(l => l.Layer)], store, progress) is { } contractLayer) layers.Add(contractLayer);

        // Read once, and only when an Owner names a user or a parent folder is not declared; it
        // includes every layer below the files, so owners may be accounts that packages or the
        // contract (mop) create.
        var below = baseImage.Layers.Concat(layers.Select(l => l.Layer)).ToList();
        var fileSystem = new Lazy<ImageFileSystem>(() => ImageFileSystem.Read(below));
        var planned = LayerPlanner.Layers(plan, () => AccountDatabase.FromFileSystem(fileSystem.Value));
        // A folder a layer needs but nothing declares keeps its owner and mode from below: a
        // ModulusDirectory of the files layer, else the layers under the files.
        var declaredFolders = planned.Files.OfType<DirectoryEntry>().ToDictionary(d => d.Path);
        var options = new LayerWriterOptions(plan.Timestamp)
        {
            ImpliedParent = below.Count == 0 && declaredFolders.Count == 0
                ? null
                : path => declaredFolders.GetValueOrDefault(path) ?? (below.Count == 0 ? null : BaseDirectory(fileSystem.Value, path)),
        };
        if (planned.Files.Count > 0)
        {
            log.Detail($"Writing a layer of {planned.Files.Count} entries");
            layers.Add(WriteLayer(progress, store, planned.Files, options, "Modulus: files of the project"));
        }
        // Each app on top, in a layer of its own: an app changes more often than anything below
        // it, and a change to one app leaves every other layer as it was.
        foreach (var (app, appEntries) in planned.Apps.Where(a => a.Entries.Count > 0))
        {
            log.Detail($"Writing a layer of {appEntries.Count} entries: app {app.Name}");
            layers.Add(WriteLayer(progress, store, appEntries, options, $"Modulus: app {app.Name}"));
        }
        var image = ImageBuilder.Build(baseImage, layers, WithLabels(plan, ContractStep.Config(plan, baseImage.Config), baseImage.Config, baseImageDigest), plan.Timestamp);
        using (plan.Contract.Kind == ImageKind.Run ? progress.Phase(PublishPhase.Validate) : null)
        {
            AppFrameworkStep.Check(plan, image);
            ContractStep.Validate(plan, image, log);
        }
        return (image, debian);
    }

    /// <summary>Writes a layer into the store with its progress told as it goes; <paramref name="comment"/> is its history line.</summary>
    internal static AppendedLayer WriteLayer(PublishProgress progress, BlobStore store, IEnumerable<LayerEntry> entries, LayerWriterOptions options, string comment)
    {
        var activity = progress.Activity($"Writing layer '{comment}'");
        var layer = store.WriteLayer(entries, options with { Progress = activity });
        activity.End();
        return new AppendedLayer(layer, comment);
    }

    /// <summary>
    /// The image's labels: the generated ones, then the project's (which win). The base's labels
    /// that describe it alone (its title, description, version, ...) are dropped unless this image
    /// sets them again: they are not this image's.
    /// </summary>
    private static ConfigChanges WithLabels(ImagePlan plan, ConfigChanges changes, Oci.ImageConfig baseConfig, string? baseImageDigest)
    {
        var labels = new Dictionary<string, string>(plan.GeneratedLabels.For(plan.BaseImage, plan.Timestamp, baseImageDigest), StringComparer.Ordinal);
        foreach (var (name, value) in changes.Labels) labels[name] = value;
        var removed = baseConfig.Labels.Keys.Where(GeneratedLabels.DescribesOneImage).Where(l => !labels.ContainsKey(l)).ToArray();
        return changes with { Labels = labels, RemovedLabels = removed };
    }

    /// <summary>
    /// ContainerArchiveOutputPath: the docker-loadable tar copied where the .NET SDK would write
    /// its archive, also when the image is up to date; an unchanged copy is not written again.
    /// </summary>
    private static void CopyArchive(ImagePlan plan, string archivePath, IPublishLog log)
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

    /// <summary>
    /// A folder the layer needs but the project did not declare keeps the base image's owner and
    /// mode, so adding a file to /srv does not reset the base's /srv.
    /// </summary>
    private static DirectoryEntry? BaseDirectory(ImageFileSystem fileSystem, UnixPath path) =>
        fileSystem.Get(path) is { Type: NodeType.Directory } node ? new DirectoryEntry(path, node.Uid, node.Gid, node.Mode & 0b111_111_111_111) : null;

    private static async Task LoadAsync(ImagePlan plan, string archivePath, IPublishLog log, CancellationToken cancellationToken)
    {
        if (!plan.LoadIntoDaemon) return;
        log.Detail($"Loading {archivePath} into the Docker daemon");
        await DockerDaemon.LoadAsync(archivePath, plan.DockerHost, cancellationToken);
        log.Summary($"Loaded image {Name(plan)} into the Docker daemon");
    }

    /// <summary>Runs a step that writes into <paramref name="folder"/>, turning file system failures into a user error.</summary>
    private static void WriteOutputs(string folder, Action write)
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

    private static string Name(ImagePlan plan) => $"{plan.Repository}:{string.Join(",", plan.Tags)}";

    private static string FormatSize(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.0} MiB"),
    };
}
