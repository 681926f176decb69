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

    // major.minor.patch with an optional pre-release label, as NuGet normalizes a runtime pack's version.
    [GeneratedRegex(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$")]
    private static partial Regex ExactVersion();
}
