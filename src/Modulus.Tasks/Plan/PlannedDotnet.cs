using Modulus.Diagnostics;
using Modulus.Oci;

namespace Modulus.Plan;

/// <summary>
/// A ModulusDotnetRuntime item: a shared framework and its exact version, and the platforms whose
/// images install it (its Platforms metadata); null means every platform of the image.
/// </summary>
public sealed record PlannedDotnetRuntime(string Framework, string? Version, SourceLocation Location, IReadOnlyList<Platform>? Platforms = null)
{
    /// <summary>Whether the image of <paramref name="platform"/> installs this runtime.</summary>
    public bool IsFor(Platform platform) => Platforms is null || Platforms.Any(p => p.Matches(platform));
}

/// <summary>
/// The runtime packs the .NET runtimes come from: NuGet restore downloads them (Sdk.targets turns
/// each ModulusDotnetRuntime into PackageDownload items) into <see cref="PackageRoot"/>, for
/// <see cref="RuntimeIdentifier"/>.
/// </summary>
public sealed record PlannedDotnet(IReadOnlyList<PlannedDotnetRuntime> Runtimes, string PackageRoot, string RuntimeIdentifier);
