using System.Text.Json.Serialization;

namespace Modulus.Debian;

/// <summary>
/// The index a locked package was resolved from: suite, component and its Release's date. No
/// mirror is recorded: the lock file is committed with the project, and where packages come from
/// is the building machine's configuration (its apt sources or MODULUS_DEBIAN_MIRROR).
/// </summary>
public sealed record LockedIndex(
    [property: JsonPropertyName("suite")] string Suite,
    [property: JsonPropertyName("component")] string Component,
    [property: JsonPropertyName("date")] string Date);

/// <summary>One resolved package: exactly which file to install and how to check it.</summary>
public sealed record LockedPackage(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("architecture")] string Architecture,
    [property: JsonPropertyName("sha256")] string Sha256,
    [property: JsonPropertyName("filename")] string Filename,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("suite")] string Suite,
    [property: JsonPropertyName("component")] string Component);

/// <summary>
/// The lock of one architecture: the request it answers and every package it resolved to, in
/// install order (dependencies first). A build whose request matches installs exactly these files.
/// A lock file holds one of these per architecture (<see cref="DebianLockFile"/>); each is exactly
/// what a lock file of that architecture alone holds, so an entry can be cut out into one.
/// </summary>
public sealed record DebianLock(
    [property: JsonPropertyName("lockVersion")] int LockVersion,
    [property: JsonPropertyName("suite")] string Suite,
    [property: JsonPropertyName("architecture")] string Architecture,
    [property: JsonPropertyName("request")] IReadOnlyList<string> Request,
    [property: JsonPropertyName("minimalSystem")] bool MinimalSystem,
    [property: JsonPropertyName("indexes")] IReadOnlyList<LockedIndex> Indexes,
    [property: JsonPropertyName("packages")] IReadOnlyList<LockedPackage> Packages)
{
    /// <summary>The version of one architecture's lock, also inside a file of several.</summary>
    public const int CurrentVersion = 1;

    /// <summary>
    /// Why this lock does not answer the given request, or null when it does, naming its
    /// architecture: in a file of several, the user must know which entry is stale.
    /// </summary>
    public string? Mismatch(string suite, string architecture, IReadOnlyList<string> request, bool minimalSystem)
    {
        if (Architecture != architecture) return $"it is for architecture '{Architecture}', not '{architecture}'";
        return RequestMismatch(suite, request, minimalSystem) is { } why ? $"its {Architecture} lock {why}" : null;
    }

    /// <summary>
    /// As <see cref="Mismatch"/> without the architecture: whether a lock of another architecture
    /// answers the same request, which every architecture of one file must.
    /// </summary>
    public string? RequestMismatch(string suite, IReadOnlyList<string> request, bool minimalSystem)
    {
        if (Suite != suite) return $"is for suite '{Suite}', not '{suite}'";
        if (MinimalSystem != minimalSystem) return minimalSystem ? "has no minimal system" : "adds a minimal system";
        if (!Request.SequenceEqual(request)) return $"was made for '{string.Join(", ", Request)}', not '{string.Join(", ", request)}'";
        return null;
    }

    /// <summary>Why this lock, read from a file, cannot be trusted to install from; null when it can.</summary>
    internal string? Invalid()
    {
        if (LockVersion != CurrentVersion) return $"its lockVersion is {LockVersion}, this Modulus reads {CurrentVersion}";
        if (string.IsNullOrEmpty(Architecture) || string.IsNullOrEmpty(Suite)) return "it lacks suite or architecture";
        if (Packages is null || Request is null || Indexes is null) return "it lacks request, indexes or packages";
        // The hash names a cache folder and the filename a mirror path: neither may climb out.
        if (Packages.FirstOrDefault(p => !DebianPackage.IsSha256(p.Sha256) || string.IsNullOrEmpty(p.Filename) || p.Filename.Split('/').Contains("..")) is { } bad)
            return $"package '{bad.Name}' has an invalid sha256 or filename";
        return null;
    }
}
