using Modulus.Diagnostics;
using Modulus.Images;

namespace Modulus.Pipeline;

/// <summary>
/// The project's files, folders and links in one layer, above everything that installs software.
/// The apps' layers are planned here too, so that a path is declared once across them all; owners
/// named by account are looked up in the view below (accounts that packages or the contract
/// create included). Errors point at the item that caused them.
/// </summary>
internal sealed class FilesStep : PublishStep
{

    public override string Name => "Files";

    public override Task<IReadOnlyList<StepLayer>> RunAsync(StepContext context)
    {
        var planned = context.Declared.Resolve(() => AccountDatabase.FromFileSystem(context.View));
        context.Planned = planned;
        if (planned.Files.Count == 0) return None;
        context.Log.Detail($"Writing a layer of {planned.Files.Count} entries");
        return Layers(context.WriteLayer(planned.Files, LayerHistory.Files, foldersFromBelow: true));
    }
}
