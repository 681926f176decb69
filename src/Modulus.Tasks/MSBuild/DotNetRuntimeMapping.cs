using Microsoft.Build.Framework;
using Modulus.DotNet;
using Modulus.Plan;

namespace Modulus.MSBuild;

/// <summary>Maps ModulusDotnetRuntime items to a <see cref="PlannedDotnet"/>; null when there are none.</summary>
internal sealed class DotNetRuntimeMapping(PublishModulusImage task, ItemLocator locator)
{
    public PlannedDotnet? ToPlanned()
    {
        if (task.DotnetRuntimes.Length == 0) return null;
        var runtimes = task.DotnetRuntimes
            .Select(i => new PlannedDotnetRuntime(i.ItemSpec, i.GetMetadata("Version") is { Length: > 0 } v ? v : null, locator.Of(i, "ModulusDotnetRuntime"),
                locator.Read(i, "ModulusDotnetRuntime", () => DotnetRuntimeRequest.ParsePlatforms(i.ItemSpec, i.GetMetadata("Platforms")))))
            .ToArray();
        // Sdk.targets derives the identifier from the platform for restore; without one (an odd
        // ModulusPlatform) the platform's own check names the problem.
        var rid = string.IsNullOrWhiteSpace(task.DotnetRuntimeIdentifier)
            ? locator.ReadProperty("ModulusPlatform", () => DotnetRuntimeRequest.RuntimeIdentifier(Oci.Platform.Parse(task.Platform ?? "linux/amd64")))
            : task.DotnetRuntimeIdentifier.Trim();
        return new PlannedDotnet(runtimes, task.NuGetPackageRoot?.Trim() ?? string.Empty, rid);
    }
}
