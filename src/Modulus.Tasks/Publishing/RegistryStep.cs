using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Oci;
using Modulus.Registry;
using Modulus.Sources;
using Modulus.Storage;

namespace Modulus.Publishing;

/// <summary>The parts of a publish that talk to registries: where the base image stands, and the push.</summary>
internal static class RegistryStep
{
    /// <summary>
    /// Registry settings from the environment, with retries told to the build log. Every blob
    /// reports its progress, however small: <see cref="TransferTally"/> counts them all and
    /// throttles the lines itself.
    /// </summary>
    public static RegistryOptions Options(ImagePlan plan, IBuildLog log) =>
        RegistryOptions.Default with { Log = log, RefreshTags = plan.RefreshBaseImage, ProgressThreshold = 0 };

    /// <summary>
    /// The base image with its blobs in the store: a registry base is pulled (download time, with
    /// a progress line when a blob must come over the network), a local one copied.
    /// </summary>
    public static async Task<Image> LoadBaseAsync(ImagePlan plan, BlobStore store, RegistryOptions options, PublishProgress progress, CancellationToken ct)
    {
        if (plan.BaseImage.Registry is not { } reference)
            return BaseImageLoader.Load(plan.BaseImage.Local!, plan.Platform, store);
        using var download = progress.Phase(PublishPhase.Download);
        var tally = new TransferTally(progress.Activity($"Downloading base image {reference}", "blobs"));
        var image = await RegistryImageSource.PullAsync(reference, plan.Platform, store, options, tally, ct);
        tally.End();
        return image;
    }

    /// <summary>
    /// The manifest digest a registry base image stands for now (null for local bases). A tag can
    /// move, so the digest joins the fingerprint: a moved tag rebuilds the image, a fresh tag
    /// record or a digest reference costs no request.
    /// </summary>
    public static async Task<string?> ResolveBaseAsync(ImagePlan plan, BlobStore store, RegistryOptions options, CancellationToken ct)
    {
        if (plan.BaseImage.Registry is not { } reference) return null;
        return await Located.RunAsync(plan.BaseImageLocation, async () => (await RegistryImageSource.ResolveAsync(reference, store, options, ct)).ToString());
    }

    /// <summary>
    /// Pushes to ContainerRegistry when it is set, on every publish, up to date or not (blobs the
    /// registry has are skipped), and returns the report with what was pushed. <paramref name="image"/>
    /// is asked for only then.
    /// </summary>
    public static async Task<ImageReport> PushAsync(ImagePlan plan, ImageReport report, Func<Image> image, BlobStore store,
        RegistryOptions options, PublishProgress progress, CancellationToken ct)
    {
        if (plan.Registry is null) return report;
        var target = ImageReference.Of(plan.Registry, plan.Repository);
        using var push = progress.Phase(PublishPhase.Push);
        var log = progress.Log;
        log.Detail($"Pushing {target.Name} as {string.Join(", ", plan.Tags)}");
        var tally = new TransferTally(progress.Activity($"Pushing {target.Name}", "blobs"));
        var summary = await RegistryPusher.PushAsync(image(), target, plan.Tags, store, options, tally, ct);
        tally.End();
        log.Summary(summary.ToString());
        return report with { Pushed = new PushedImage(target.Name, summary.ManifestDigest.ToString(), summary.Tags) };
    }

    /// <summary>A published image read back from its OCI layout, for a push when nothing was rebuilt.</summary>
    public static Image ReadPublished(ImageReport report, ImagePlan plan, BlobStore store) =>
        BaseImageLoader.Load(new BaseImageSpec(BaseImageKind.OciLayout, report.LayoutPath, plan.Tags.FirstOrDefault()?.Value), plan.Platform, store);
}
