using Modulus.Diagnostics;
using Modulus.Oci;

namespace Modulus.Debian;

/// <summary>
/// What to install from Debian. Unset optional values use the defaults written here; the mirror
/// falls back to MODULUS_DEBIAN_MIRROR and then to the build machine's apt configuration.
/// </summary>
public sealed record DebianRequest
{
    public const string DefaultKeyringPath = "/usr/share/keyrings/debian-archive-keyring.gpg";

    /// <summary>
    /// Required. Package names, each with an optional relation: "bash", "libssl3 (>= 3.0)", read
    /// when they are made (<see cref="Declare"/>, <see cref="Relation.ParseRequest"/>).
    /// </summary>
    public required IReadOnlyList<Relation> Packages { get; init; }

    /// <summary>The suite or codename to install from.</summary>
    public string Suite { get; init; } = "bookworm";

    public IReadOnlyList<string> Components { get; init; } = ["main"];

    /// <summary>A mirror root URL; when set, only this mirror (and only <see cref="Suite"/>) is used.</summary>
    public string? Mirror { get; init; }

    /// <summary>Where apt's configuration is read when no mirror is given.</summary>
    public string AptConfigurationRoot { get; init; } = "/etc/apt";

    /// <summary>The OpenPGP keyring InRelease signatures are checked against; null: the source's Signed-By, else <see cref="DefaultKeyringPath"/>.</summary>
    public string? KeyringPath { get; init; }

    /// <summary>False skips the signature check of InRelease (hashes are still checked) and warns on every build.</summary>
    public bool VerifySignatures { get; init; } = true;

    /// <summary>The JSON lock file; null keeps no lock. When it exists and matches the request it is used as is.</summary>
    public string? LockFilePath { get; init; }

    /// <summary>Resolve again and rewrite the lock file even when it matches.</summary>
    public bool RefreshLock { get; init; }

    /// <summary>
    /// Whether to add what a minimal Debian system needs (every Priority: required package and
    /// the merged-/usr links). Null: only when the base image has no dpkg database.
    /// </summary>
    public bool? MinimalSystem { get; init; }

    /// <summary>Whether Debian's slim rules (<see cref="DpkgPathFilter.Slim"/>) come before <see cref="PathRules"/>.</summary>
    public bool Slim { get; init; } = true;

    /// <summary>The user's path-exclude and path-include rules, in order: the last one matching a path decides.</summary>
    public IReadOnlyList<DpkgPathRule> PathRules { get; init; } = [];

    /// <summary>
    /// Clears the setuid and setgid bits of the files the packages install, and records each
    /// change in dpkg's statoverride file so that dpkg keeps it when the package is upgraded.
    /// </summary>
    public bool ClearSetuid { get; init; }

    /// <summary>The path filter the packages are unpacked with; null when there are no rules at all.</summary>
    public DpkgPathFilter? PathFilter() =>
        Slim || PathRules.Count > 0 ? new DpkgPathFilter([.. Slim ? DpkgPathFilter.Slim : [], .. PathRules]) : null;

    /// <summary>
    /// One entry of <see cref="Packages"/> from a name and an optional version as a project item
    /// states them: "&gt;= 4.2" keeps its operator, a bare "4.2-1" means exactly that version. A bad
    /// name or version is MOD3011, quoting the relation as written here.
    /// </summary>
    public static Relation Declare(string name, string? version)
    {
        var trimmed = version?.Trim() ?? string.Empty;
        var text = trimmed.Length == 0 ? name.Trim()
            : trimmed[0] is '<' or '>' or '=' ? $"{name.Trim()} ({trimmed})"
            : $"{name.Trim()} (= {trimmed})";
        return Relation.ParseRequest(text);
    }

    /// <summary>Debian's name for the image platform's architecture, or MOD3016.</summary>
    public static string ArchitectureOf(Platform platform) =>
        TryArchitectureOf(platform) ?? throw new ModulusException(Errors.UnsupportedDebianArchitecture, platform);

    /// <summary>As <see cref="ArchitectureOf"/>; null for a platform Debian does not build for.</summary>
    public static string? TryArchitectureOf(Platform platform) => (platform.Architecture, platform.Variant) switch
    {
        ("amd64", _) => "amd64",
        ("arm64", _) => "arm64",
        ("arm", "v5" or "v6") => "armel",
        ("arm", _) => "armhf",
        ("386", _) => "i386",
        ("ppc64le", _) => "ppc64el",
        ("s390x", _) => "s390x",
        ("riscv64", _) => "riscv64",
        ("mips64le", _) => "mips64el",
        _ => null,
    };
}
