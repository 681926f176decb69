using Modulus.Diagnostics;

namespace Modulus.Pipeline;

/// <summary>
/// Each referenced app on top, in a layer of its own: an app changes more often than anything
/// below it, and a change to one app leaves every other layer as it was. Planned by the Files step.
/// </summary>
internal sealed class AppsStep : PublishStep
{
    public override string Name => "Apps";

    public override Task<IReadOnlyList<StepLayer>> RunAsync(StepContext context) =>
        Task.FromResult<IReadOnlyList<StepLayer>>(context.Planned!.Apps.Where(a => a.Entries.Count > 0).Select(app =>
        {
            context.Log.Detail($"Writing a layer of {app.Entries.Count} entries: app {app.App.Name}");
            return context.WriteLayer(app.Entries, LayerHistory.App(app.App.Name), foldersFromBelow: true);
        }).ToList());
}
