using Modulus.Diagnostics;
using Modulus.Layers;
using Modulus.Npm;
using Modulus.Plan;

namespace Modulus.Pipeline;

/// <summary>
/// The plan's Node.js runtimes and npm packages: one layer per runtime (large and rarely changed,
/// so a new package does not re-send them), then one layer of all packages. Errors point at the
/// item that caused them.
/// </summary>
internal sealed class NodeStep : PublishStep
{
    public override string Name => "Node";

    public override async Task<IReadOnlyList<StepLayer>> RunAsync(StepContext context)
    {
        var plan = context.Plan;
        if (plan.NodeRuntimes.Count == 0 && plan.NpmPackages.Count == 0) return [];
        IReadOnlyList<(string Comment, IReadOnlyList<LayerEntry> Entries)> layers;
        using (context.Progress.Phase(PublishPhase.Download))
            layers = await InstallAsync(plan, context.Log, context.Cancellation);
        return layers.Select(layer =>
        {
            context.Log.Detail($"Writing a layer of {layer.Entries.Count} entries: {layer.Comment}");
            return context.WriteLayer(layer.Entries, layer.Comment);
        }).ToList();
    }

    private static async Task<IReadOnlyList<(string Comment, IReadOnlyList<LayerEntry> Entries)>> InstallAsync(ImagePlan plan, IBuildLog log, CancellationToken cancellationToken)
    {
        var layers = new List<(string, IReadOnlyList<LayerEntry>)>();
        using var installer = new NpmPackageInstaller(new NpmOptions(plan.BlobCacheDirectory, plan.NpmRegistry), log);
        foreach (var runtime in plan.NodeRuntimes)
        {
            var result = await Located.RunAsync(runtime.Location, () =>
                NodeRuntimeInstaller.InstallAsync(installer, new NodeRuntimeRequest(runtime.Version.Trim(), runtime.NpmVersion?.Trim()) { Platform = plan.Platform }, cancellationToken));
            log.Detail($"Node.js {result.Node} with npm {result.Npm} in {result.Home}");
            layers.Add(($"Modulus: Node.js {result.Node} with npm {result.Npm}", result.Entries));
        }
        var packages = new List<LayerEntry>();
        foreach (var package in plan.NpmPackages)
        {
            var result = await Located.RunAsync(package.Location, () =>
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
}
