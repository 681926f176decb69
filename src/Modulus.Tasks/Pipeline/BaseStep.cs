using Modulus.Debian;
using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Layers;
using Modulus.Plan;

namespace Modulus.Pipeline;

/// <summary>The base image, with its blobs in the store: a registry base is pulled, a local one copied. Errors point at the base image's declaration.</summary>
internal sealed class BaseStep : PublishStep
{
    public const string StepName = "Base";

    public override string Name => StepName;

    public override SourceLocation LocationOf(ImagePlan plan, ModulusException error) => plan.BaseImageLocation;

    /// <summary>
    /// The base's files whose bodies later steps read, kept in the one read of its layers: the
    /// account files (owners, the contract's accounts, the validator) and dpkg's records (Debian).
    /// </summary>
    public static bool KeepsBody(UnixPath path) => AccountDatabase.IsAccountFile(path) || BaseSystem.ReadsBody(path);

    public override async Task<IReadOnlyList<StepLayer>> RunAsync(StepContext context)
    {
        var plan = context.Plan;
        context.Log.Detail($"Loading base image {plan.BaseImage} for {plan.Platform}");
        context.Base = await RegistryStep.LoadBaseAsync(plan, context.Store, context.Registry, context.Progress, context.Cancellation);
        return [];
    }
}
