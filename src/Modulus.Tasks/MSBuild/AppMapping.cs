using Microsoft.Build.Framework;
using Modulus.Diagnostics;
using Modulus.Plan;

namespace Modulus.MSBuild;

/// <summary>
/// Maps a ProjectReference with a Destination to a <see cref="PlannedApp"/>, located at the
/// reference's line; the in-app form's own app (metadata ModulusInProject) at ModulusAppDestination.
/// </summary>
internal static class AppMapping
{
    public static PlannedApp ToPlanned(ITaskItem reference, IReadOnlyList<PlannedAppFile> files, ItemLocator locator)
    {
        var name = reference.GetMetadata("ModulusAppName");
        var location = reference.GetMetadata("ModulusInProject") == "true" ? InProject(reference, locator) : locator.OfProjectReference(reference);
        // Mode and Owner are read here, at the reference; the Destination, with the publish output, by the publisher.
        var (mode, owner) = locator.At(location, () =>
            (PermissionMode.Parse(Metadata(reference, "Mode"), reference.ItemSpec), Metadata(reference, "Owner") is { } text ? OwnerSpec.Parse(text, reference.ItemSpec) : null));
        return new PlannedApp(
            reference.ItemSpec,
            name.Length > 0 ? name : Path.GetFileNameWithoutExtension(reference.ItemSpec),
            Metadata(reference, "Destination"),
            mode,
            owner,
            files,
            location);
    }

    /// <summary>The in-app form's own app: ModulusAppDestination's line in the project, else the project itself (not Sdk.targets).</summary>
    private static SourceLocation InProject(ITaskItem reference, ItemLocator locator) =>
        locator.OfProperty("ModulusAppDestination") is { } location && location.File == reference.ItemSpec ? location : new SourceLocation(reference.ItemSpec);

    private static string? Metadata(ITaskItem item, string name) => item.GetMetadata(name) is { Length: > 0 } value ? value : null;
}
