using Modulus.Contract;
using Modulus.Images;
using Modulus.Oci;
using Modulus.Plan;

namespace Modulus.Pipeline;

/// <summary>
/// The finished image: the base with every layer appended, and the config changes: the
/// contract's for a run or build image, the project's over them (its explicit settings win), and the labels.
/// </summary>
internal sealed class ConfigStep : PublishStep
{
    public override string Name => "Config";

    public override Task<IReadOnlyList<StepLayer>> RunAsync(StepContext context)
    {
        var plan = context.Plan;
        var baseConfig = context.Base.Config;
        var changes = plan.Contract.Kind switch
        {
            ImageKind.Run => ContractLayer.ConfigChanges(plan.Contract.Standard, baseConfig, plan.Config),
            ImageKind.Build => BuildContractLayer.ConfigChanges(plan.Contract.BuildStandard, baseConfig, plan.Config),
            _ => plan.Config,
        };
        context.Image = ImageBuilder.Build(context.Base, context.Layers, WithLabels(plan, changes, baseConfig, context.BaseImageDigest), plan.Timestamp);
        return None;
    }

    /// <summary>
    /// The image's labels: the generated ones, then the project's (which win). The base's labels
    /// that describe it alone (its title, description, version, ...) are dropped unless this image
    /// sets them again: they are not this image's.
    /// </summary>
    private static ConfigChanges WithLabels(ImagePlan plan, ConfigChanges changes, ImageConfig baseConfig, string? baseImageDigest)
    {
        var labels = new Dictionary<string, string>(plan.GeneratedLabels.For(plan.BaseImage, plan.Timestamp, baseImageDigest), StringComparer.Ordinal);
        foreach (var (name, value) in changes.Labels) labels[name] = value;
        var removed = baseConfig.Labels.Keys.Where(GeneratedLabels.DescribesOneImage).Where(l => !labels.ContainsKey(l)).ToArray();
        return changes with { Labels = labels, RemovedLabels = removed };
    }
}
