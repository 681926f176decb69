using Modulus.Contract;
using Modulus.Diagnostics;
using Modulus.Plan;

namespace Modulus.Pipeline;

/// <summary>
/// The layer that makes a run or build image one, generated over the view of everything below it (so it
/// comes after the layers that install software); a plain image gets none. Errors point at the
/// declaration of the image kind.
/// </summary>
internal sealed class ContractStep : PublishStep
{


    public override string Name => "Contract";

    public override SourceLocation LocationOf(ImagePlan plan, ModulusException error) => plan.Contract.Location;

    public override Task<IReadOnlyList<StepLayer>> RunAsync(StepContext context)
    {
        var contract = context.Plan.Contract;
        if (contract.Kind == ImageKind.Build)
        {
            var build = BuildContractLayer.Generate(contract.BuildStandard, contract.Build(), context.View);
            context.Log.Detail($"Writing the build-image contract layer of {build.Count} entries");
            return Layers(context.WriteLayer(build, LayerHistory.BuildContract));
        }
        if (contract.Kind != ImageKind.Run) return None;
        var entries = ContractLayer.Generate(contract.Standard, contract.Start(), context.View);
        context.Log.Detail($"Writing the run-image contract layer of {entries.Count} entries");
        return Layers(context.WriteLayer(entries, LayerHistory.RunContract));
    }
}
