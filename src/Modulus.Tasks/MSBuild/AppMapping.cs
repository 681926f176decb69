using Microsoft.Build.Framework;
using Modulus.Publishing;

namespace Modulus.MSBuild;

/// <summary>Maps a ProjectReference with a Destination to a <see cref="PlannedApp"/>, located at the reference's line.</summary>
internal static class AppMapping
{
    public static PlannedApp ToPlanned(ITaskItem reference, IReadOnlyList<PlannedAppFile> files, ItemLocator locator)
    {
        var name = reference.GetMetadata("ModulusAppName");
        return new PlannedApp(
            reference.ItemSpec,
            name.Length > 0 ? name : Path.GetFileNameWithoutExtension(reference.ItemSpec),
            Metadata(reference, "Destination"),
            Metadata(reference, "Mode"),
            Metadata(reference, "Owner"),
            files,
            locator.OfProjectReference(reference));
    }

    private static string? Metadata(ITaskItem item, string name) => item.GetMetadata(name) is { Length: > 0 } value ? value : null;
}
