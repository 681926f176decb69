using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Oci;
using Modulus.Plan;
using Modulus.Registry;
using Modulus.Sources;
using Modulus.Storage;

namespace Modulus.Pipeline;

/// <summary>The base image's side of a publish that talks to registries: where the base image stands, and its pull (the push is <c>Publishing.ImagePush</c>'s).</summary>
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
}
