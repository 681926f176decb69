using Modulus.Diagnostics;
using Modulus.Pipeline;
using Modulus.Plan;
using Modulus.Registry;
using Modulus.Sinks;
using Modulus.Storage;

namespace Modulus.Publishing;

/// <summary>
/// What every publish, of one platform or several, does before it can tell whether anything
/// changed: clear what a killed publish left, resolve the base image's digest and hash the plan's
/// inputs with it. The fingerprint adds the Debian lock file, which a build may write.
/// </summary>
internal sealed record PublishStart(BlobStore Store, RegistryOptions RegistryOptions, string? BaseImageDigest, string Inputs)
{
    public static async Task<PublishStart> BeginAsync(ImagePlan plan, DeclaredLayers declared, IReadOnlyList<string> outputNames, PublishProgress progress,
        CancellationToken cancellationToken)
    {
        var store = new BlobStore(plan.BlobCacheDirectory);
        // What a killed publish left behind goes first, so a kill costs disk space only until the next publish.
        OutputGeneration.RemoveLeftovers(plan.OutputDirectory, outputNames);
        store.RemoveAbandonedPartials();
        var registryOptions = RegistryStep.Options(plan, progress.Log);
        string? baseImageDigest;
        using (progress.Phase(PublishPhase.Resolve))
            baseImageDigest = await RegistryStep.ResolveBaseAsync(plan, store, registryOptions, cancellationToken);
        return new PublishStart(store, registryOptions, baseImageDigest, PlanFingerprint.Inputs(plan, declared, baseImageDigest));
    }

    /// <summary>The inputs with the Debian lock file as it is now: read again after a build that wrote one.</summary>
    public string Fingerprint(ImagePlan plan) => PlanFingerprint.WithDebianLock(Inputs, plan);
}
