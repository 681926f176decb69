using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Oci;
using Modulus.Pipeline;
using Modulus.Plan;
using Modulus.Registry;
using Modulus.Report;
using Modulus.Sbom;
using Modulus.Sinks;
using Modulus.Storage;

namespace Modulus.Publishing;

/// <summary>
/// Publishes a multi-platform plan: the pipeline runs once per platform (each on
/// <see cref="ImagePlan.ForPlatform"/>), and the outputs are the OCI layout holding the image index
/// and every platform's image, one docker-loadable tar and one SBOM per platform, image.tar and
/// sbom.spdx.json for the build machine's platform (links to its own), and modulus-image.json with
/// the index digest and each platform's image, all replaced as one set. A push puts every
/// platform's image, then the index under each tag.
/// </summary>
internal static class IndexPublisher
{
    public static async Task<PublishResult> PublishAsync(ImagePlan plan, DeclaredLayers declared, IBuildLog log, CancellationToken cancellationToken,
        TimeProvider? time, Func<HttpClient>? debianHttp)
    {
        var progress = new PublishProgress(log, time);
        log.Summary($"Publishing image {ImagePublisher.Name(plan)} from {plan.BaseImage} for {string.Join(", ", plan.Platforms)}");
        var files = new IndexFiles(plan);
        var start = await PublishStart.BeginAsync(plan, declared, files.Names, progress, cancellationToken);
        var (store, registryOptions, baseImageDigest, inputs) = start;

        var previous = ImagePublisher.UpToDateReport(plan, start.Fingerprint(plan), files.Report);
        if (previous is not null && previous.IndexDigest is not null)
        {
            Pipeline.DebianStep.WarnUpToDate(plan.Debian, log);
            var upToDate = await ImagePush.PushAsync(plan, previous, () => Published(previous), () => Published(previous), store, registryOptions, progress, cancellationToken);
            await ImagePublisher.FinishAsync(plan, previous, upToDate, progress, cancellationToken);
            log.Summary($"Image {ImagePublisher.Name(plan)} is up to date: index {previous.IndexDigest} ({ImagePublisher.FormatSize(previous.Size)}) in {previous.LayoutPath}");
            ImagePublisher.SummarizeTimes(progress);
            return new PublishResult(upToDate, files.Report, UpToDate: true);
        }

        PlatformIndex index;
        ImageReport report;
        try
        {
            (index, report) = await BuildAndWriteAsync(plan, declared, store, registryOptions, baseImageDigest, inputs, files, progress, debianHttp, cancellationToken);
        }
        catch (ModulusException e) when (e.Error == Errors.CachedBlobCorrupt)
        {
            log.Report(Diagnostic.Of(e, DiagnosticSeverity.Warning));
            log.Summary($"Building image {ImagePublisher.Name(plan)} again without the damaged blob");
            (index, report) = await BuildAndWriteAsync(plan, declared, store, registryOptions, baseImageDigest, inputs, files, progress, debianHttp, cancellationToken);
        }
        var pushed = await ImagePush.PushAsync(plan, report, () => PushContent.Of(index), () => Published(report), store, registryOptions, progress, cancellationToken);
        await ImagePublisher.FinishAsync(plan, report, pushed, progress, cancellationToken);
        log.Summary($"Published image {ImagePublisher.Name(plan)}: index {report.IndexDigest} over {string.Join(", ", report.Platforms!.Select(p => $"{p.Platform} {p.ManifestDigest} ({ImagePublisher.FormatSize(p.Size)})"))} in {files.Layout}");
        ImagePublisher.SummarizeTimes(progress);
        return new PublishResult(pushed, files.Report, UpToDate: false);

        PushContent Published(ImageReport published) => PushContent.Of(ReadPublished(published, plan, store));
    }

    private static async Task<(PlatformIndex Index, ImageReport Report)> BuildAndWriteAsync(ImagePlan plan, DeclaredLayers declared, BlobStore store,
        RegistryOptions registryOptions, string? baseImageDigest, string inputs, IndexFiles files, PublishProgress progress, Func<HttpClient>? debianHttp,
        CancellationToken cancellationToken)
    {
        var log = progress.Log;
        var built = await BuildPlatformsAsync(plan, declared, store, registryOptions, baseImageDigest, progress, debianHttp, cancellationToken);
        var images = built.Select(b => b.Image).ToList();
        var debian = built.Select(b => b.Debian).ToList();
        var contents = built.All(b => b.Contents is not null) ? built.Select(b => b.Contents!).ToArray() : null;
        var index = new PlatformIndex(images);
        var primary = files.Primary;
        var report = ImageReport.Of(images[primary], plan, files.Layout, files.Archive) with
        {
            SbomPath = files.Sbom,
            PagePath = contents is null ? null : files.Page,
            IndexDigest = index.IndexDigest.ToString(),
            Platforms = images.Select((image, i) => ReportedPlatform.Of(image, files.PlatformArchive(i), files.PlatformSbom(i))).ToArray(),
        };
        var fingerprint = PlanFingerprint.WithDebianLock(inputs, plan);
        using var outputs = progress.Phase(PublishPhase.Outputs);
        OciLayoutWriter.EnsureReplaceable(files.Layout);
        ImagePublisher.WriteOutputs(plan.OutputDirectory, () => OutputGeneration.Replace(plan.OutputDirectory, files.Names, ImageReport.FileName, next =>
        {
            var written = progress.Activity($"Writing {ImagePublisher.LayoutFolderName} and {images.Count} image archives");
            log.Detail($"Writing the OCI layout {files.Layout}");
            OciLayoutWriter.Write(index, Path.Combine(next, ImagePublisher.LayoutFolderName), plan.Tags.Select(TaggedName.Bare).ToArray());
            var repoTags = plan.Tags.Select(t => TaggedName.Of(plan.Repository, t)).ToArray();
            for (var i = 0; i < images.Count; i++)
            {
                log.Detail($"Writing the image archive {files.PlatformArchive(i)}");
                DockerArchiveWriter.Write(images[i], Path.Combine(next, Path.GetFileName(files.PlatformArchive(i))), repoTags);
                log.Detail($"Writing the SBOM {files.PlatformSbom(i)}");
                ImageSbom.Write(Path.Combine(next, Path.GetFileName(files.PlatformSbom(i))), ImagePublisher.Name(plan), images[i].Layers, store,
                    debian[i]?.Packages ?? [], plan.Timestamp, images[i].Platform);
            }
            // image.tar and sbom.spdx.json keep their meaning (this machine's image) without a second copy.
            File.CreateSymbolicLink(Path.Combine(next, ImagePublisher.ArchiveFileName), Path.GetFileName(files.PlatformArchive(primary)));
            File.CreateSymbolicLink(Path.Combine(next, ImageSbom.FileName), Path.GetFileName(files.PlatformSbom(primary)));
            if (contents is not null)
            {
                log.Detail($"Writing the image report {files.Page}");
                ReportPage.Write(Path.Combine(next, ReportPage.FileName), new ImageContents(ImagePublisher.Name(plan), index.IndexDigest.ToString(), contents));
            }
            written.Report(index.Size);
            written.End();
            report.Write(Path.Combine(next, ImageReport.FileName));
        },
        beforeSwitch: () => ImagePublisher.WriteOutputs(plan.IntermediateDirectory, () => PlanFingerprint.Forget(plan.IntermediateDirectory))));
        ImagePublisher.WriteOutputs(plan.IntermediateDirectory, () => PlanFingerprint.Write(plan.IntermediateDirectory, fingerprint));
        return (index, report);
    }

    /// <summary>
    /// Builds every platform's image at the same time, in the platforms' order: one platform's
    /// downloads overlap another's compression, and each has its own phase times (added up for the
    /// summary). The first platform to fail stops the others, and its error is the publish's.
    /// </summary>
    private static async Task<(Image Image, Debian.DebianInstallation? Debian, PlatformContents? Contents)[]> BuildPlatformsAsync(ImagePlan plan, DeclaredLayers declared, BlobStore store,
        RegistryOptions registryOptions, string? baseImageDigest, PublishProgress progress, Func<HttpClient>? debianHttp, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var parts = plan.Platforms.Select(_ => progress.Part()).ToArray();
        // The failure that stopped the others, kept before they are stopped: a platform
        // interrupted may fail with anything (an aborted read), and that is not the news.
        Exception? first = null;
        var builds = plan.Platforms.Select((platform, i) => Task.Run(async () =>
        {
            progress.Log.Summary($"Building the image for {platform}");
            try
            {
                return await ImagePublisher.BuildAsync(plan.ForPlatform(platform), declared.ForPlatform(platform), store, registryOptions, baseImageDigest, parts[i], debianHttp, stop.Token);
            }
            catch (Exception e)
            {
                if (!(e is OperationCanceledException && stop.IsCancellationRequested)) Interlocked.CompareExchange(ref first, e, null);
                stop.Cancel();
                throw;
            }
        }, CancellationToken.None)).ToArray();
        try
        {
            return await Task.WhenAll(builds);
        }
        catch
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (first is null) throw;
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
            throw;
        }
        finally
        {
            foreach (var part in parts) progress.Phases.Add(part.Phases);
        }
    }

    /// <summary>The published images read back from the layout (each by its TAG-PLATFORM name), for a push when nothing was rebuilt.</summary>
    private static PlatformIndex ReadPublished(ImageReport report, ImagePlan plan, BlobStore store)
    {
        var tag = plan.Tags[0].Value;
        return new PlatformIndex(report.Platforms!.Select(p =>
        {
            var platform = Platform.Parse(p.Platform);
            var spec = new Sources.BaseImageSpec(Sources.BaseImageKind.OciLayout, report.LayoutPath, $"{tag}-{PlatformIndex.FileNamePart(platform)}");
            return Sources.BaseImageLoader.Load(spec, platform, store);
        }).ToArray());
    }

    /// <summary>The names of a multi-platform publish's outputs, and which platform is this machine's.</summary>
    private sealed class IndexFiles(ImagePlan plan)
    {
        private readonly string _folder = plan.OutputDirectory;

        public string Layout => Path.Combine(_folder, ImagePublisher.LayoutFolderName);

        public string Archive => Path.Combine(_folder, ImagePublisher.ArchiveFileName);

        public string Sbom => Path.Combine(_folder, ImageSbom.FileName);

        public string Report => Path.Combine(_folder, ImageReport.FileName);

        public string Page => Path.Combine(_folder, ReportPage.FileName);

        public string PlatformArchive(int i) => Path.Combine(_folder, $"image-{PlatformIndex.FileNamePart(plan.Platforms[i])}.tar");

        public string PlatformSbom(int i) => Path.Combine(_folder, $"sbom-{PlatformIndex.FileNamePart(plan.Platforms[i])}.spdx.json");

        /// <summary>The platform of the build machine when the plan has it (its image can run here), else the first.</summary>
        public int Primary { get; } = Math.Max(0, plan.Platforms.ToList().FindIndex(p => p.Os == "linux" && p.Architecture == Platform.MachineArchitecture));

        public IReadOnlyList<string> Names =>
        [
            ImagePublisher.LayoutFolderName, ImagePublisher.ArchiveFileName, ImageSbom.FileName, ReportPage.FileName, ImageReport.FileName,
            .. plan.Platforms.Select((_, i) => Path.GetFileName(PlatformArchive(i))),
            .. plan.Platforms.Select((_, i) => Path.GetFileName(PlatformSbom(i))),
        ];
    }
}
