using System.Text.Json;
using Modulus.BuildCache;
using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Layers;
using Modulus.Npm;
using Modulus.Plan;

namespace Modulus.Pipeline;

/// <summary>
/// The plan's Node.js runtimes and npm packages: one layer per runtime (large and rarely changed,
/// so a new package does not re-send them), then one layer of all packages. Errors point at the
/// item that caused them. A layer whose versions are all exact is taken from the build cache when
/// it holds it: its bytes depend on those versions alone, not on the layers below.
/// </summary>
internal sealed class NodeStep : PublishStep
{
    /// <summary>The build cache's name of a Node.js runtime's layer (<see cref="StepCacheKey"/>).</summary>
    public const string RuntimeCacheStep = "node";

    /// <summary>The build cache's name of the npm packages' layer.</summary>
    public const string PackagesCacheStep = "npm";


    public override string Name => "Node";

    public override async Task<IReadOnlyList<StepLayer>> RunAsync(StepContext context)
    {
        var plan = context.Plan;
        if (plan.NodeRuntimes.Count == 0 && plan.NpmPackages.Count == 0) return [];
        var layers = Layers(context);
        // Every pinned layer asked for at once: a cold publish waits for the slowest answer, not for their sum.
        var hits = await Task.WhenAll(layers.Select(l => l.Key is { } key ? context.FromCacheAsync(key, l.History!) : Task.FromResult<CachedLayer?>(null)));
        var installed = new (string History, IReadOnlyList<LayerEntry> Entries)?[layers.Count];
        if (hits.Any(h => h is null))
        {
            using var download = context.Progress.Phase(PublishPhase.Download);
            using var installer = new NpmPackageInstaller(new NpmOptions(plan.BlobCacheDirectory, plan.NpmRegistry), context.Log);
            for (var i = 0; i < layers.Count; i++)
                if (hits[i] is null) installed[i] = await layers[i].InstallAsync(installer, context.Cancellation);
        }
        var result = new List<StepLayer>();
        for (var i = 0; i < layers.Count; i++)
        {
            if (hits[i] is { } hit)
            {
                result.Add(new StepLayer(new AppendedLayer(hit.Layer, layers[i].History!), null));
                continue;
            }
            var (history, entries) = installed[i]!.Value;
            if (entries.Count == 0) continue;
            context.Log.Detail($"Writing a layer of {entries.Count} entries: {history}");
            var layer = context.WriteLayer(entries, history);
            if (layers[i].Key is { } key)
                context.CacheAfterwards(key, layer.Appended.Layer, JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["history"] = history }));
            result.Add(layer);
        }
        return result;
    }

    /// <summary>
    /// One layer of the step: its build cache key and history line when exact versions pin it
    /// (null for both otherwise), and how it is installed when the cache does not give it.
    /// </summary>
    private sealed record NodeLayer(StepCacheKey? Key, string? History,
        Func<NpmPackageInstaller, CancellationToken, Task<(string History, IReadOnlyList<LayerEntry> Entries)>> InstallAsync);

    private static List<NodeLayer> Layers(StepContext context)
    {
        var plan = context.Plan;
        var layers = plan.NodeRuntimes.Select(runtime => Runtime(context, runtime)).ToList();
        if (plan.NpmPackages.Count > 0) layers.Add(Packages(context));
        return layers;
    }

    /// <summary>
    /// A runtime is pinned when its Node.js version and its NpmVersion are both exact: without an
    /// NpmVersion, npm is the newest release that supports the Node.js, which only the npm registry
    /// can tell, and a newer npm is another layer.
    /// </summary>
    private static NodeLayer Runtime(StepContext context, PlannedNodeRuntime runtime)
    {
        var plan = context.Plan;
        var request = new NodeRuntimeRequest(runtime.Version.Trim(), runtime.NpmVersion?.Trim()) { Platform = plan.Platform };
        async Task<(string, IReadOnlyList<LayerEntry>)> InstallAsync(NpmPackageInstaller installer, CancellationToken ct)
        {
            var result = await Located.RunAsync(runtime.Location, () => NodeRuntimeInstaller.InstallAsync(installer, request, ct));
            context.Log.Detail($"Node.js {result.Node} with npm {result.Npm} in {result.Home}");
            return (LayerHistory.Node(result.Node, result.Npm), result.Entries);
        }
        if (context.BuildCache is not { } cache) return new NodeLayer(null, null, InstallAsync);
        if (!SemVersion.TryParse(request.Version, out var node) || request.NpmVersion is null || !SemVersion.TryParse(request.NpmVersion, out var npm)
            || NodeRuntimeInstaller.TryNodePackageFor(plan.Platform) is not { } package)
        {
            context.Log.Detail($"The Node.js runtime {request.Version} with npm {request.NpmVersion ?? "(newest that supports it)"} is not pinned to exact versions: its layer is built here, not taken from the build cache {cache.Name}");
            return new NodeLayer(null, null, InstallAsync);
        }
        // Where the packages come from is no input: a published version of an npm package never changes.
        string[] inputs = [$"node|{package}@{node}", $"npm|{NodeRuntimeInstaller.NpmPackage}@{npm}", $"root|{request.Root}"];
        return new NodeLayer(context.StandaloneCacheKey(RuntimeCacheStep, inputs), LayerHistory.Node(node, npm), InstallAsync);
    }


    /// <summary>The npm packages' layer is pinned when every package names an exact version and a destination.</summary>
    private static NodeLayer Packages(StepContext context)
    {
        var packages = context.Plan.NpmPackages;
        async Task<(string, IReadOnlyList<LayerEntry>)> InstallAsync(NpmPackageInstaller installer, CancellationToken ct)
        {
            var entries = new List<LayerEntry>();
            foreach (var package in packages)
            {
                var result = await Located.RunAsync(package.Location, () =>
                {
                    if (package.Destination is null) throw new ModulusException(Errors.NpmDestinationMissing, package.Name);
                    var destination = UnixPath.Parse(package.Destination, $"ModulusNpmPackage '{package.Name}' Destination");
                    return installer.InstallAsync(new NpmPackageRequest(package.Name.Trim(), package.Version.Trim(), destination), ct);
                });
                context.Log.Detail($"npm package {result.Name}@{result.Version} in {package.Destination}");
                entries.AddRange(result.Entries);
            }
            return (LayerHistory.NpmPackages, entries);
        }
        if (context.BuildCache is not { } cache) return new NodeLayer(null, null, InstallAsync);
        if (packages.Any(p => !SemVersion.TryParse(p.Version.Trim(), out _) || p.Destination is null))
        {
            context.Log.Detail($"Not every npm package names an exact version: their layer is built here, not taken from the build cache {cache.Name}");
            return new NodeLayer(null, null, InstallAsync);
        }
        // Unlike the runtimes' official packages, a project's package name may be one a private
        // registry gives its own package: the registry is part of what the name means.
        NpmRegistry registry;
        try
        {
            registry = NpmRegistryLocator.Locate(context.Plan.NpmRegistry);
        }
        catch (ModulusException)
        {
            return new NodeLayer(null, null, InstallAsync);
        }
        var inputs = packages.Select(p => $"package|{p.Name.Trim()}@{p.Version.Trim()}|{p.Destination}").Prepend($"registry|{registry.Url}");
        return new NodeLayer(context.StandaloneCacheKey(PackagesCacheStep, inputs), LayerHistory.NpmPackages, InstallAsync);
    }
}
