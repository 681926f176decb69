using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Layers;
using Modulus.Plan;

namespace Modulus.Pipeline;

/// <summary>
/// A layer a step added: its history entry, and the contents it was written from (which join the
/// image's view); null contents for a layer taken whole from elsewhere (the build cache), which
/// joins the view as a base layer does, read or recalled from the layer-entries memo.
/// </summary>
internal sealed record StepLayer(AppendedLayer Appended, LayerContents? Contents);

/// <summary>
/// A named step of a publish. It gets the publish's <see cref="StepContext"/> and returns the
/// layers it adds on top of the image, in order (none when it has nothing to add); the
/// <see cref="StepRunner"/> appends them, times the step and locates its errors.
/// </summary>
internal abstract class PublishStep
{
    /// <summary>The step's name, given with its errors ("Debian", "Contract", ...).</summary>
    public abstract string Name { get; }

    /// <summary>The summary's phase the step's time counts to, when not the layers phase the build runs in.</summary>
    public virtual PublishPhase? Phase(ImagePlan plan) => null;

    /// <summary>Where an error the step gives without a location points: the declaration the step stands for, if one does.</summary>
    public virtual SourceLocation LocationOf(ImagePlan plan, ModulusException error) => SourceLocation.Unknown;

    public abstract Task<IReadOnlyList<StepLayer>> RunAsync(StepContext context);

    protected static Task<IReadOnlyList<StepLayer>> None { get; } = Task.FromResult<IReadOnlyList<StepLayer>>([]);

    protected static Task<IReadOnlyList<StepLayer>> Layers(params StepLayer[] layers) => Task.FromResult<IReadOnlyList<StepLayer>>(layers);
}
