using Modulus.Diagnostics;

namespace Modulus.Plan;

/// <summary>A ModulusDotnetRuntime item: a shared framework and its exact version.</summary>
public sealed record PlannedDotnetRuntime(string Framework, string? Version, SourceLocation Location);

/// <summary>
/// The runtime packs the .NET runtimes come from: NuGet restore downloads them (Sdk.targets turns
/// each ModulusDotnetRuntime into PackageDownload items) into <see cref="PackageRoot"/>, for
/// <see cref="RuntimeIdentifier"/>.
/// </summary>
public sealed record PlannedDotnet(IReadOnlyList<PlannedDotnetRuntime> Runtimes, string PackageRoot, string RuntimeIdentifier);
