using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Oci;
using Modulus.Pipeline;
using Modulus.Plan;
using Modulus.Registry;
using Modulus.Sources;
using Modulus.Storage;

namespace Modulus.Publishing;

/// <summary>
/// The push of a published image, or of the index over a multi-platform publish's images, to
/// ContainerRegistry, whether it was rebuilt or is up to date.
/// </summary>
internal static class ImagePush
{
    /// <summary>
    /// Pushes to ContainerRegistry when it is set, on every publish, up to date or not (blobs the
    /// registry has are skipped), and returns the report with what was pushed. <paramref name="built"/>
    /// is asked for only then; <paramref name="published"/> reads the same content back from the
    /// layout just published, for a push again when a blob of the store turns out damaged.
    /// </summary>
    public static async Task<ImageReport> PushAsync(ImagePlan plan, ImageReport report, Func<PushContent> built, Func<PushContent> published,
        BlobStore store, RegistryOptions options, PublishProgress progress, CancellationToken ct)
    {
        if (plan.Registry is null) return report;
        var target = ImageReference.Of(plan.Registry, plan.Repository);
        using var push = progress.Phase(PublishPhase.Push);
        var log = progress.Log;
        log.Detail($"Pushing {target.Name} as {string.Join(", ", plan.Tags)}{(plan.IsMultiPlatform ? $" for {string.Join(", ", plan.Platforms)}" : "")}");
        var tally = new TransferTally(progress.Activity($"Pushing {target.Name}", "blobs"));
        PushSummary summary;
        try
        {
            summary = await built().PushAsync(target, plan.Tags, store, options, tally, ct);
        }
        catch (ModulusException e) when (e.Error == Errors.CachedBlobCorrupt)
        {
            // The damaged blob is gone from the store and no tag moved; the layout just published
            // holds the image's blobs, verified when they were written: push once more from there.
            log.Report(Diagnostic.Of(e, DiagnosticSeverity.Warning));
            log.Detail($"Pushing {target.Name} again with the blobs of {report.LayoutPath}");
            summary = await published().PushAsync(target, plan.Tags, store, options, tally, ct);
        }
        tally.End();
        log.Summary(summary.ToString());
        return report with { Pushed = new PushedImage(target.Name, summary.ManifestDigest.ToString(), summary.Tags) };
    }

    /// <summary>A published image read back from its OCI layout, for a push when nothing was rebuilt.</summary>
    public static Image ReadPublished(ImageReport report, ImagePlan plan, BlobStore store) =>
        BaseImageLoader.Load(new BaseImageSpec(BaseImageKind.OciLayout, report.LayoutPath, plan.Tags.FirstOrDefault()?.Value), plan.Platform, store);
}

/// <summary>What a push sends: one image, or an index with every platform's image.</summary>
internal sealed class PushContent
{
    private readonly Func<ImageReference, IReadOnlyList<ImageTag>, BlobStore, RegistryOptions, IProgress<TransferProgress>, CancellationToken, Task<PushSummary>> _push;

    private PushContent(Func<ImageReference, IReadOnlyList<ImageTag>, BlobStore, RegistryOptions, IProgress<TransferProgress>, CancellationToken, Task<PushSummary>> push) =>
        _push = push;

    public static PushContent Of(Image image) => new((target, tags, store, options, progress, ct) => RegistryPusher.PushAsync(image, target, tags, store, options, progress, ct));

    public static PushContent Of(PlatformIndex index) => new((target, tags, store, options, progress, ct) => RegistryPusher.PushAsync(index, target, tags, store, options, progress, ct));

    public Task<PushSummary> PushAsync(ImageReference target, IReadOnlyList<ImageTag> tags, BlobStore store, RegistryOptions options, IProgress<TransferProgress> progress,
        CancellationToken ct) => _push(target, tags, store, options, progress, ct);
}
