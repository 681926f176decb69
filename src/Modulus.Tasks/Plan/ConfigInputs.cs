using System.Globalization;
using System.Text.RegularExpressions;
using Modulus.Diagnostics;
using Modulus.Layers;
using Modulus.Oci;

namespace Modulus.Plan;

/// <summary>Validates the image settings a project writes, turning each into its config form.</summary>
public static partial class ConfigInputs
{
    /// <summary>A ContainerPort as the config writes it: "8080/tcp". Type defaults to tcp.</summary>
    public static string Port(string number, string? type)
    {
        var protocol = string.IsNullOrWhiteSpace(type) ? "tcp" : type.Trim().ToLowerInvariant();
        if (!int.TryParse(number.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port is < 1 or > 65535 || protocol is not ("tcp" or "udp"))
            throw new ModulusException(Errors.InvalidPort, string.IsNullOrWhiteSpace(type) ? number : $"{number}/{type}");
        return $"{port}/{protocol}";
    }

    public static string EnvironmentVariableName(string name) =>
        VariablePattern().IsMatch(name) ? name : throw new ModulusException(Errors.InvalidEnvironmentVariable, name);

    public static string LabelName(string name) =>
        string.IsNullOrWhiteSpace(name) ? throw new ModulusException(Errors.InvalidLabel, name) : name;

    /// <summary>A ContainerRegistry, host[:port], as it would open an image reference (normalized: index.docker.io is docker.io).</summary>
    public static string Registry(string registry) =>
        ImageReference.TryParse(registry + "/modulus/probe", out var reference, out _) && reference.Repository == "modulus/probe"
            ? reference.Registry
            : throw new ModulusException(Errors.InvalidRegistry, WithoutUserInfo(registry));

    /// <summary>
    /// ModulusCacheRepository: host[:port]/path, with the registry written out (no Docker Hub
    /// default) and no tag or digest (the cache tags its entries itself); else MOD2320.
    /// </summary>
    public static ImageReference CacheRepository(string value)
    {
        var slash = value.IndexOf('/');
        string? why = null;
        if (slash <= 0) why = "it names no registry host before the repository";
        else if (value.LastIndexOf('@') > slash || value.LastIndexOf(':') > slash) why = "it has a tag or digest";
        else if (!ImageReference.TryParse(value, out var reference, out var reason)) why = reason;
        else if (reference.Registry != value[..slash]) why = $"'{value[..slash]}' is not a registry host";
        else return reference with { Tag = null };
        throw new ModulusException(Errors.CacheRepositoryInvalid, WithoutUserInfo(value), why);
    }

    /// <summary>
    /// The value with whatever precedes an '@' (user:password in a URL's authority) replaced, so
    /// the error that refuses it does not print a password into the build log.
    /// </summary>
    private static string WithoutUserInfo(string registry)
    {
        var at = registry.LastIndexOf('@');
        if (at < 0) return registry;
        var scheme = registry.IndexOf("://", StringComparison.Ordinal);
        var start = scheme >= 0 && scheme < at ? scheme + 3 : 0;
        return registry[..start] + "(credentials removed)" + registry[at..];
    }

    /// <summary>A container path for a volume or working directory; <paramref name="what"/> names the setting.</summary>
    public static string ContainerPath(string path, string what) => UnixPath.Parse(path.Trim(), what).Value;

    /// <summary>SOURCE_DATE_EPOCH, or the fixed default timestamp when it is unset.</summary>
    public static DateTimeOffset Timestamp(string? sourceDateEpoch)
    {
        if (string.IsNullOrWhiteSpace(sourceDateEpoch)) return LayerWriterOptions.DefaultTimestamp;
        if (!long.TryParse(sourceDateEpoch.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
            throw new ModulusException(Errors.InvalidSourceDateEpoch, sourceDateEpoch);
        return DateTimeOffset.FromUnixTimeSeconds(seconds);
    }

    /// <summary>An MSBuild-style boolean; empty means <paramref name="defaultValue"/>.</summary>
    public static bool Boolean(string? value, string what, bool defaultValue)
    {
        if (string.IsNullOrWhiteSpace(value)) return defaultValue;
        return bool.TryParse(value.Trim(), out var result) ? result : throw new ModulusException(Errors.InvalidBoolean, what, value);
    }

    /// <summary>ModulusPlatform when set, else the platform of ContainerRuntimeIdentifier, else linux/amd64.</summary>
    public static Platform Platform(string? platform, string? runtimeIdentifier)
    {
        if (!string.IsNullOrWhiteSpace(platform)) return Oci.Platform.Parse(platform.Trim());
        if (string.IsNullOrWhiteSpace(runtimeIdentifier)) return Oci.Platform.LinuxAmd64;
        return Oci.Platform.FromRuntimeIdentifier(runtimeIdentifier.Trim())
            ?? throw new ModulusException(Errors.UnknownRuntimeIdentifier, runtimeIdentifier);
    }

    /// <summary>
    /// ModulusPlatforms: os/arch[/variant] separated by ';', each once, in the order given (the
    /// order of the image index). Modulus builds Linux images only (MOD5072 for another OS).
    /// </summary>
    public static IReadOnlyList<Platform> Platforms(string value) =>
        Distinct(value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Oci.Platform.Parse));

    /// <summary>ContainerRuntimeIdentifiers: .NET runtime identifiers separated by ';', each mapped to its platform.</summary>
    public static IReadOnlyList<Platform> PlatformsOfRuntimeIdentifiers(string value) =>
        Distinct(value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(rid => Oci.Platform.FromRuntimeIdentifier(rid) ?? throw new ModulusException(Errors.UnknownRuntimeIdentifier, rid)));

    private static IReadOnlyList<Platform> Distinct(IEnumerable<Platform> platforms)
    {
        var list = new List<Platform>();
        foreach (var platform in platforms)
        {
            if (platform.Os != "linux") throw new ModulusException(Errors.PlatformNotLinux, platform);
            // linux/arm64 and linux/arm64/v8 are one platform: the first spelling is kept.
            if (!list.Any(p => p.Matches(platform))) list.Add(platform);
        }
        return list;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariablePattern();
}
