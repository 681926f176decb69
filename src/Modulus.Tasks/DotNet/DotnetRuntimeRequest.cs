using System.Text.RegularExpressions;
using Modulus.Diagnostics;
using Modulus.Oci;

namespace Modulus.DotNet;

/// <summary>
/// A .NET shared framework to install, validated when made: <see cref="Framework"/> is
/// Microsoft.NETCore.App or Microsoft.AspNetCore.App, <see cref="Version"/> an exact version (a
/// runtime pack is pinned, as NuGet restores it with [v]).
/// </summary>
public sealed partial record DotnetRuntimeRequest
{
    public const string NetCore = "Microsoft.NETCore.App";
    public const string AspNetCore = "Microsoft.AspNetCore.App";

    public DotnetRuntimeRequest(string framework, string version)
    {
        Framework = new[] { NetCore, AspNetCore }.FirstOrDefault(f => string.Equals(f, framework.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new ModulusException(Errors.DotnetFrameworkUnknown, framework);
        if (!ExactVersion().IsMatch(version.Trim())) throw new ModulusException(Errors.DotnetVersionInvalid, framework, version);
        Version = version.Trim();
    }

    public string Framework { get; }

    public string Version { get; }

    /// <summary>
    /// The frameworks this request installs: ASP.NET Core runs on Microsoft.NETCore.App, and its
    /// runtime pack of a version is built against Microsoft.NETCore.App of the same version.
    /// </summary>
    public IEnumerable<(string Framework, string Version)> Frameworks() =>
        Framework == AspNetCore ? [(NetCore, Version), (AspNetCore, Version)] : [(NetCore, Version)];

    /// <summary>The NuGet package that carries <paramref name="framework"/> for a runtime identifier.</summary>
    public static string PackId(string framework, string runtimeIdentifier) => $"{framework}.Runtime.{runtimeIdentifier}";

    /// <summary>The runtime identifier whose runtime packs serve an image of <paramref name="platform"/>.</summary>
    public static string RuntimeIdentifier(Platform platform) =>
        TryRuntimeIdentifier(platform) ?? throw new ModulusException(Errors.DotnetRuntimeIdentifierUnsupported, platform);

    /// <summary>As <see cref="RuntimeIdentifier"/>; null for a platform without runtime packs.</summary>
    public static string? TryRuntimeIdentifier(Platform platform) => (platform.Os, platform.Architecture) switch
    {
        ("linux", "amd64") => "linux-x64",
        ("linux", "arm64") => "linux-arm64",
        _ => null,
    };

    /// <summary>
    /// The runtime identifiers whose packs an image needs, by the precedence a publish chooses its
    /// platforms with: ContainerRuntimeIdentifier alone, else every platform of ModulusPlatforms,
    /// else ContainerRuntimeIdentifiers, else ModulusPlatform. A platform that cannot be read or has
    /// no runtime packs adds none: the publish names it at its property (restore must not fail first).
    /// </summary>
    public static IReadOnlyList<string> RuntimeIdentifiersFor(string? containerRuntimeIdentifier, string? platforms, string? containerRuntimeIdentifiers, string? platform)
    {
        static string[] List(string? value) => (value ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        static IEnumerable<string> Mapped(IEnumerable<string> names) => names
            .Select(name => { try { return TryRuntimeIdentifier(Platform.Parse(name)); } catch (ModulusException) { return null; } })
            .OfType<string>();
        IEnumerable<string> identifiers =
            List(containerRuntimeIdentifier) is { Length: > 0 } one ? one
            : List(platforms) is { Length: > 0 } several ? Mapped(several)
            : List(containerRuntimeIdentifiers) is { Length: > 0 } rids ? rids
            : Mapped(List(platform));
        return identifiers.Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>
    /// A ModulusDotnetRuntime's Platforms metadata (<c>linux/amd64;linux/arm64</c>): the platforms
    /// whose images install it; null when the metadata is empty (every platform). Each must be a
    /// platform .NET publishes runtime packs for (MOD3207), so a misspelt one is not silently
    /// never installed.
    /// </summary>
    public static IReadOnlyList<Platform>? ParsePlatforms(string framework, string? text)
    {
        var names = (text ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 0) return null;
        return names.Select(name =>
        {
            Platform? platform = null;
            try { platform = Platform.Parse(name); } catch (ModulusException) { }
            return platform is not null && TryRuntimeIdentifier(platform) is not null
                ? platform
                : throw new ModulusException(Errors.DotnetRuntimePlatformUnsupported, framework, name);
        }).Distinct().ToArray();
    }

    /// <summary>
    /// The runtime packs restore downloads for ModulusDotnetRuntime items, one entry per package id
    /// with every version it is wanted at (restore refuses the same id twice): each item's
    /// Microsoft.NETCore.App pack, and its Microsoft.AspNetCore.App pack when it asks for ASP.NET
    /// Core, for each runtime identifier whose platform the item is for. An item the publish will
    /// refuse (another framework, a version that is not exact, a Platforms it cannot read) downloads
    /// nothing, so the publish reports it at the item instead of restore failing on a package that
    /// cannot exist.
    /// </summary>
    public static IReadOnlyList<(string PackId, IReadOnlyList<string> Versions)> PackDownloads(
        IEnumerable<(string Framework, string? Version, string? Platforms)> runtimes, IReadOnlyList<string> runtimeIdentifiers)
    {
        var wanted = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var (framework, version, platformsText) in runtimes)
        {
            DotnetRuntimeRequest request;
            IReadOnlyList<Platform>? platforms;
            try
            {
                request = new DotnetRuntimeRequest(framework, version ?? string.Empty);
                platforms = ParsePlatforms(framework, platformsText);
            }
            catch (ModulusException)
            {
                continue;
            }
            foreach (var rid in runtimeIdentifiers)
            {
                if (platforms is not null && (Platform.FromRuntimeIdentifier(rid) is not { } ridPlatform || !platforms.Any(p => p.Matches(ridPlatform)))) continue;
                foreach (var (packFramework, packVersion) in request.Frameworks())
                {
                    var id = PackId(packFramework, rid);
                    if (!wanted.TryGetValue(id, out var versions)) wanted[id] = versions = new(StringComparer.Ordinal);
                    versions.Add(packVersion);
                }
            }
        }
        return wanted.Select(w => (w.Key, (IReadOnlyList<string>)w.Value.ToArray())).ToArray();
    }

    // major.minor.patch with an optional pre-release label, as NuGet normalizes a runtime pack's version.
    [GeneratedRegex(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$")]
    private static partial Regex ExactVersion();
}
