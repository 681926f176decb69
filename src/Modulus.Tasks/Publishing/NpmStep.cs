using Modulus.Diagnostics;
using Modulus.Layers;
using Modulus.Npm;

namespace Modulus.Publishing;

/// <summary>An npm package to install: <see cref="Version"/> exact or a range, <see cref="Destination"/> the folder of its files.</summary>
public sealed record PlannedNpmPackage(string Name, string Version, string? Destination, SourceLocation Location);

/// <summary>A Node.js runtime to bake under /opt/modulus/node: <see cref="Version"/> exact or a range; <see cref="NpmVersion"/> optional.</summary>
public sealed record PlannedNodeRuntime(string Version, string? NpmVersion, SourceLocation Location);

/// <summary>
/// The publish step that installs the plan's Node.js runtimes and npm packages: one layer per
/// runtime (large and rarely changed, so a new package does not re-send them), then one layer of
/// all packages. Errors are located at the item that caused them.
/// </summary>
internal static class NpmStep
{
    public static async Task<IReadOnlyList<(string Comment, IReadOnlyList<LayerEntry> Entries)>> LayersAsync(ImagePlan plan, IPublishLog log, CancellationToken cancellationToken)
    {
        if (plan.NodeRuntimes.Count == 0 && plan.NpmPackages.Count == 0) return [];
        var layers = new List<(string, IReadOnlyList<LayerEntry>)>();
        using var installer = new NpmPackageInstaller(new NpmOptions(plan.BlobCacheDirectory, plan.NpmRegistry), log);
        foreach (var runtime in plan.NodeRuntimes)
        {
            var result = await Located(runtime.Location, () =>
                NodeRuntimeInstaller.InstallAsync(installer, new NodeRuntimeRequest(runtime.Version.Trim(), runtime.NpmVersion?.Trim()), cancellationToken));
            log.Detail($"Node.js {result.Node} with npm {result.Npm} in {result.Home}");
            layers.Add(($"Modulus: Node.js {result.Node} with npm {result.Npm}", result.Entries));
        }
        var packages = new List<LayerEntry>();
        foreach (var package in plan.NpmPackages)
        {
            var result = await Located(package.Location, () =>
            {
                if (package.Destination is null) throw new ModulusException(Errors.NpmDestinationMissing, package.Name);
                var destination = UnixPath.Parse(package.Destination, $"ModulusNpmPackage '{package.Name}' Destination");
                return installer.InstallAsync(new NpmPackageRequest(package.Name.Trim(), package.Version.Trim(), destination), cancellationToken);
            });
            log.Detail($"npm package {result.Name}@{result.Version} in {package.Destination}");
            packages.AddRange(result.Entries);
        }
        if (packages.Count > 0) layers.Add(("Modulus: npm packages", packages));
        return layers;
    }

    private static async Task<T> Located<T>(SourceLocation location, Func<Task<T>> step)
    {
        try
        {
            return await step();
        }
        catch (ModulusException e) when (e.File is null && location.File is not null)
        {
            throw e.At(location.File, location.Line);
        }
    }
}
