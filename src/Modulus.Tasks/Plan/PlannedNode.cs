using Modulus.Diagnostics;

namespace Modulus.Plan;

/// <summary>An npm package to install: <see cref="Version"/> exact or a range, <see cref="Destination"/> the folder of its files.</summary>
public sealed record PlannedNpmPackage(string Name, string Version, string? Destination, SourceLocation Location);

/// <summary>A Node.js runtime to bake under /opt/modulus/node: <see cref="Version"/> exact or a range; <see cref="NpmVersion"/> optional.</summary>
public sealed record PlannedNodeRuntime(string Version, string? NpmVersion, SourceLocation Location);
