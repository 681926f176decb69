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

    [Output]
    public ITaskItem[] RuntimeIdentifiers { get; set; } = [];

    public override bool Execute()
    {
        RuntimeIdentifiers = DotnetRuntimeRequest.RuntimeIdentifiersFor(ContainerRuntimeIdentifier, Platforms, ContainerRuntimeIdentifiers, Platform)
            .Select(rid => (ITaskItem)new Microsoft.Build.Utilities.TaskItem(rid))
            .ToArray();
        return true;
    }
}
