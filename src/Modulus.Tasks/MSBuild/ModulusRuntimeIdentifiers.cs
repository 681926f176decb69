using Microsoft.Build.Framework;
using Modulus.DotNet;

namespace Modulus.MSBuild;

/// <summary>
/// The .NET runtime identifiers whose runtime packs restore downloads for ModulusDotnetRuntime:
/// one per platform of the image, mapped by the library's one table
/// (<see cref="DotnetRuntimeRequest.RuntimeIdentifiersFor"/>). It reports nothing: a platform
/// without runtime packs is the publish's error to name, at its property.
/// </summary>
public sealed class ModulusRuntimeIdentifiers : Microsoft.Build.Utilities.Task
{
    public string? ContainerRuntimeIdentifier { get; set; }

    public string? ContainerRuntimeIdentifiers { get; set; }

    public string? Platform { get; set; }

    public string? Platforms { get; set; }

    /// <summary>ModulusDotnetRuntime items (Version and Platforms metadata).</summary>
    public ITaskItem[] DotnetRuntimes { get; set; } = [];

    [Output]
    public ITaskItem[] RuntimeIdentifiers { get; set; } = [];

    /// <summary>One item per runtime pack id, with Version as PackageDownload wants it: <c>[v1];[v2]</c>.</summary>
    [Output]
    public ITaskItem[] RuntimePacks { get; set; } = [];

    public override bool Execute()
    {
        var rids = DotnetRuntimeRequest.RuntimeIdentifiersFor(ContainerRuntimeIdentifier, Platforms, ContainerRuntimeIdentifiers, Platform);
        RuntimeIdentifiers = rids.Select(rid => (ITaskItem)new Microsoft.Build.Utilities.TaskItem(rid)).ToArray();
        RuntimePacks = DotnetRuntimeRequest.PackDownloads(DotnetRuntimes.Select(i => (i.ItemSpec, (string?)i.GetMetadata("Version"), (string?)i.GetMetadata("Platforms"))), rids)
            .Select(pack => (ITaskItem)new Microsoft.Build.Utilities.TaskItem(pack.PackId, new Dictionary<string, string>
            {
                ["Version"] = string.Join(';', pack.Versions.Select(v => $"[{v}]")),
            }))
            .ToArray();
        return true;
    }
}
