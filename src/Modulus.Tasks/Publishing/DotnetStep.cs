using Modulus.Diagnostics;
using Modulus.DotNet;
using Modulus.Layers;

namespace Modulus.Publishing;

/// <summary>A ModulusDotnetRuntime item: a shared framework and its exact version.</summary>
public sealed record PlannedDotnetRuntime(string Framework, string? Version, SourceLocation Location);

/// <summary>
/// The runtime packs the .NET runtimes come from: NuGet restore downloads them (Sdk.targets turns
/// each ModulusDotnetRuntime into PackageDownload items) into <see cref="PackageRoot"/>, for
/// <see cref="RuntimeIdentifier"/>.
/// </summary>
public sealed record PlannedDotnet(IReadOnlyList<PlannedDotnetRuntime> Runtimes, string PackageRoot, string RuntimeIdentifier);

/// <summary>
/// The publish step that installs .NET shared frameworks from runtime packs: one layer per
/// version (Microsoft.NETCore.App, host/fxr and, when asked, Microsoft.AspNetCore.App of that
/// version), so moving one pin re-sends one layer, then a small layer with the dotnet muxer.
/// Errors are located at the item that caused them.
/// </summary>
internal static class DotnetStep
{
    public static IReadOnlyList<(string Comment, IReadOnlyList<LayerEntry> Entries)> Layers(ImagePlan plan, IPublishLog log)
    {
        if (plan.Dotnet is not { Runtimes.Count: > 0 } dotnet) return [];
        var wanted = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var runtime in dotnet.Runtimes)
        {
            var request = Located(runtime.Location, () => new DotnetRuntimeRequest(runtime.Framework, runtime.Version ?? string.Empty));
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
            var location = dotnet.Runtimes.First(r => string.Equals(r.Version?.Trim(), version, StringComparison.Ordinal)).Location;
            var entries = new List<LayerEntry>();
            foreach (var framework in frameworks)
            {
                var pack = Located(location, () => RuntimePack.Read(dotnet.PackageRoot, DotnetRuntimeRequest.PackId(framework, rid), version, rid, plan.BlobCacheDirectory));
                entries.AddRange(Located(location, () => DotnetLayout.Framework(framework, version, pack, rid)));
                log.Detail($"{framework} {version} from {pack.Id} in {DotnetLayout.FrameworkFolder(framework, version)}");
            }
            layers.Add(($"Modulus: .NET {version} ({string.Join(", ", frameworks)})", entries));
        }
        layers.Add(("Modulus: the dotnet muxer", DotnetMuxer.Entries()));
        return layers;
    }

    private static T Located<T>(SourceLocation location, Func<T> step)
    {
        try
        {
            return step();
        }
        catch (ModulusException e) when (e.File is null && location.File is not null)
        {
            throw e.At(location.File, location.Line);
        }
    }
}
