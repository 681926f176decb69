using Modulus.Diagnostics;
using Modulus.DotNet;
using Modulus.Layers;
using Modulus.Plan;

namespace Modulus.Pipeline;

/// <summary>
/// .NET shared frameworks from runtime packs: one layer per version (Microsoft.NETCore.App,
/// host/fxr and, when asked, Microsoft.AspNetCore.App of that version), so moving one pin re-sends
/// one layer, then a small layer with the dotnet muxer. Errors point at the item that caused them.
/// </summary>
internal sealed class DotnetStep : PublishStep
{
    public override string Name => "Dotnet";

    public override Task<IReadOnlyList<StepLayer>> RunAsync(StepContext context) =>
        Task.FromResult<IReadOnlyList<StepLayer>>(Entries(context.Plan, context.Log).Select(layer =>
        {
            context.Log.Detail($"Writing a layer of {layer.Entries.Count} entries: {layer.Comment}");
            return context.WriteLayer(layer.Entries, layer.Comment);
        }).ToList());

    private static IReadOnlyList<(string Comment, IReadOnlyList<LayerEntry> Entries)> Entries(ImagePlan plan, IBuildLog log)
    {
        if (plan.Dotnet is not { Runtimes.Count: > 0 } dotnet) return [];
        // An item whose Platforms leave this platform out installs nothing here; when none is
        // left, the image has no .NET at all, so no muxer either.
        var runtimes = dotnet.Runtimes.Where(r => r.IsFor(plan.Platform)).ToArray();
        if (runtimes.Length == 0) return [];
        var wanted = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var runtime in runtimes)
        {
            var request = Located.Run(runtime.Location, () => new DotnetRuntimeRequest(runtime.Framework, runtime.Version ?? string.Empty));
            foreach (var (framework, version) in request.Frameworks())
            {
                if (!wanted.TryGetValue(version, out var frameworks)) wanted[version] = frameworks = new(StringComparer.Ordinal);
                frameworks.Add(framework);
            }
        }
        var rid = dotnet.RuntimeIdentifier;
        var layers = new List<(string, IReadOnlyList<LayerEntry>)>();
        foreach (var (version, frameworks) in wanted)
        {
            var location = runtimes.First(r => string.Equals(r.Version?.Trim(), version, StringComparison.Ordinal)).Location;
            var entries = new List<LayerEntry>();
            foreach (var framework in frameworks)
            {
                var pack = Located.Run(location, () => RuntimePack.Read(dotnet.PackageRoot, DotnetRuntimeRequest.PackId(framework, rid), version, rid, plan.BlobCacheDirectory));
                entries.AddRange(Located.Run(location, () => DotnetLayout.Framework(framework, version, pack, rid)));
                log.Detail($"{framework} {version} from {pack.Id} in {DotnetLayout.FrameworkFolder(framework, version)}");
            }
            layers.Add((LayerHistory.Dotnet(version, frameworks), entries));
        }
        layers.Add((LayerHistory.DotnetMuxer, DotnetMuxer.Entries()));
        return layers;
    }
}
