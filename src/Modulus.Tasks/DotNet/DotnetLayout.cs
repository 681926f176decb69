using Modulus.Diagnostics;
using Modulus.Layers;

namespace Modulus.DotNet;

/// <summary>
/// Lays runtime packs out as an installed .NET is laid out, so the host (hostfxr, the muxer, an
/// app's apphost) finds them under <see cref="Root"/>:
/// <c>shared/FRAMEWORK/VERSION/</c> holds the pack's <c>lib/TFM/*</c> and <c>native/*</c> files
/// (native ones executable) but libhostfxr.so, plus <c>.version</c> (the pack's
/// FRAMEWORK.versions.txt); <c>host/fxr/VERSION/libhostfxr.so</c> comes from the
/// Microsoft.NETCore.App pack. That is the folder of an official .NET install, file for file.
/// </summary>
public static class DotnetLayout
{
    public static readonly UnixPath Root = UnixPath.Parse("/usr/share/dotnet");

    private const string HostResolver = "libhostfxr.so";

    /// <summary>The folder of one shared framework version.</summary>
    public static UnixPath FrameworkFolder(string framework, string version) => Root.Combine($"shared/{framework}/{version}");

    /// <summary>The entries of <paramref name="framework"/> at <paramref name="version"/> from its runtime pack.</summary>
    public static IReadOnlyList<LayerEntry> Framework(string framework, string version, RuntimePack pack, string runtimeIdentifier)
    {
        var folder = FrameworkFolder(framework, version);
        var entries = new List<LayerEntry>();
        var lib = $"runtimes/{runtimeIdentifier}/lib/";
        var native = $"runtimes/{runtimeIdentifier}/native/";
        var frameworkTargets = pack.Files.Keys.Where(k => k.StartsWith(lib, StringComparison.Ordinal))
            .Select(k => k[lib.Length..].Split('/')[0]).Distinct(StringComparer.Ordinal).ToArray();
        if (frameworkTargets.Length != 1)
            throw new ModulusException(Errors.DotnetPackIncomplete, $"{pack.Id} {pack.Version}", frameworkTargets.Length == 0 ? $"{lib}TFM/ folder" : $"single {lib}TFM/ folder (it has {string.Join(", ", frameworkTargets)})", framework);
        var managed = lib + frameworkTargets[0] + "/";
        foreach (var (name, hostPath) in pack.Files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            if (name.StartsWith(managed, StringComparison.Ordinal))
                entries.Add(new FileEntry(folder.Combine(name[managed.Length..]), FileContent.FromFile(hostPath)));
            else if (name.StartsWith(native, StringComparison.Ordinal) && name[native.Length..] is var file && file != HostResolver)
                entries.Add(new FileEntry(folder.Combine(file), FileContent.FromFile(hostPath), Mode: LayerEntry.DefaultExecutableMode));
        }
        Require(pack, framework, managed + framework + ".deps.json");
        Require(pack, framework, managed + framework + ".runtimeconfig.json");
        var versions = Require(pack, framework, framework + ".versions.txt");
        entries.Add(new FileEntry(folder.Combine(".version"), FileContent.FromFile(versions)));
        if (framework == DotnetRuntimeRequest.NetCore)
        {
            Require(pack, framework, native + "libcoreclr.so");
            Require(pack, framework, native + "libhostpolicy.so");
            var resolver = Require(pack, framework, native + HostResolver);
            entries.Add(new FileEntry(Root.Combine($"host/fxr/{version}/{HostResolver}"), FileContent.FromFile(resolver), Mode: LayerEntry.DefaultExecutableMode));
        }
        return entries;
    }

    private static string Require(RuntimePack pack, string framework, string name) =>
        pack.Files.TryGetValue(name, out var path) ? path : throw new ModulusException(Errors.DotnetPackIncomplete, $"{pack.Id} {pack.Version}", name, framework);
}
