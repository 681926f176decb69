using Modulus.Diagnostics;

namespace Modulus.Pipeline;

/// <summary>
/// Runs the steps of a build in order, in the summary's layers phase (a step may count to a phase
/// of its own), appends each step's layers to the image, and gives any error of a step the step's
/// name and, when it has none, the location the step stands for.
/// </summary>
internal static class StepRunner
{
    /// <summary>The steps of every build, in the order their layers stack.</summary>
    public static IReadOnlyList<PublishStep> Build { get; } =
    [
        new BaseStep(),
        new DebianStep(),
        new NodeStep(),
        new DotnetStep(),
        new ContractStep(),
        new FilesStep(),
        new AppsStep(),
        new ConfigStep(),
        new ValidateStep(),
    ];

    public static async Task RunAsync(IEnumerable<PublishStep> steps, StepContext context)
    {
        using var layers = context.Progress.Phase(PublishPhase.Layers);
        foreach (var step in steps)
        {
            using (step.Phase(context.Plan) is { } phase ? context.Progress.Phase(phase) : null)
            {
                var added = await Located.RunAsync(e => step.LocationOf(context.Plan, e), () => step.RunAsync(context), step.Name);
                foreach (var layer in added) context.Append(layer);
            }
            context.Cancellation.ThrowIfCancellationRequested();
        }
    }
}
