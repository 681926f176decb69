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
    /// <summary>Registry settings from the environment, with retries and progress told to the build log.</summary>
    public static RegistryOptions Options(ImagePlan plan, IPublishLog log) =>
        RegistryOptions.Default with { Log = log.Detail, RefreshTags = plan.RefreshBaseImage };

    /// <summary>
    /// The manifest digest a registry base image stands for now (null for local bases). A tag can
    /// move, so the digest joins the fingerprint: a moved tag rebuilds the image, a fresh tag
    /// record or a digest reference costs no request.
    /// </summary>
    public static async Task<string?> ResolveBaseAsync(ImagePlan plan, BlobStore store, RegistryOptions options, CancellationToken ct)
    {
        if (!RegistryImageSource.TryParseSpec(plan.BaseImage, out var reference)) return null;
        try
        {
            return (await RegistryImageSource.ResolveAsync(reference, store, options, ct)).ToString();
        }
        catch (ModulusException e) when (e.File is null && plan.BaseImageLocation.File is not null)
        {
            throw e.At(plan.BaseImageLocation.File, plan.BaseImageLocation.Line);
        }
    }

    /// <summary>
    /// Pushes to ContainerRegistry when it is set, on every publish, up to date or not (blobs the
    /// registry has are skipped), and returns the report with what was pushed. <paramref name="image"/>
    /// is asked for only then.
    /// </summary>
    public static async Task<ImageReport> PushAsync(ImagePlan plan, ImageReport report, Func<Image> image, BlobStore store,
        RegistryOptions options, IPublishLog log, CancellationToken ct)
    {
        if (plan.Registry is null) return report;
        var target = ImageReference.Parse($"{plan.Registry}/{plan.Repository}");
        log.Detail($"Pushing {target.Name} as {string.Join(", ", plan.Tags)}");
        var summary = await RegistryPusher.PushAsync(image(), target, plan.Tags, store, options, new LogProgress(log), ct);
        log.Summary(summary.ToString());
        return report with { Pushed = new PushedImage(target.Name, summary.ManifestDigest.ToString(), summary.Tags) };
    }

    /// <summary>A published image read back from its OCI layout, for a push when nothing was rebuilt.</summary>
    public static Image ReadPublished(ImageReport report, ImagePlan plan, BlobStore store) =>
        BaseImageLoader.Load(new BaseImageSpec(BaseImageKind.OciLayout, report.LayoutPath, plan.Tags.FirstOrDefault()), plan.Platform, store);

    private sealed class LogProgress(IPublishLog log) : IProgress<TransferProgress>
    {
        public void Report(TransferProgress value) => log.Detail(value.ToString());
    }
}
