using System.Text.Json.Serialization;
using Modulus.Diagnostics;

namespace Modulus.Oci;

/// <summary>An OS and CPU an image runs on, as written in indexes and configs.</summary>
public sealed record Platform(
    [property: JsonPropertyName("architecture")] string Architecture,
    [property: JsonPropertyName("os")] string Os,
    [property: JsonPropertyName("variant"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Variant = null,
    [property: JsonPropertyName("os.version"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? OsVersion = null)
{
    public static readonly Platform LinuxAmd64 = new("amd64", "linux");

    /// <summary>Parses <c>os/arch[/variant]</c>, e.g. <c>linux/arm64/v8</c>.</summary>
    public static Platform Parse(string value)
    {
        var parts = value.Split('/');
        if (parts.Length is < 2 or > 3 || parts.Any(string.IsNullOrWhiteSpace))
            throw new ModulusException(Errors.InvalidPlatform, value);
        return new Platform(parts[1], parts[0], parts.Length == 3 ? parts[2] : null);
    }

    /// <summary>Maps a .NET runtime identifier such as linux-x64 or linux-arm64.</summary>
    public static Platform? FromRuntimeIdentifier(string rid) => rid switch
    {
        "linux-x64" or "linux-musl-x64" => new("amd64", "linux"),
        "linux-arm64" or "linux-musl-arm64" => new("arm64", "linux", "v8"),
        "linux-arm" or "linux-musl-arm" => new("arm", "linux", "v7"),
        "linux-s390x" => new("s390x", "linux"),
        "linux-ppc64le" => new("ppc64le", "linux"),
        _ => null,
    };

    /// <summary>The architecture of the machine this runs on, as image configs name it.</summary>
    public static string MachineArchitecture => System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "amd64",
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        System.Runtime.InteropServices.Architecture.Arm => "arm",
        System.Runtime.InteropServices.Architecture.X86 => "386",
        System.Runtime.InteropServices.Architecture.S390x => "s390x",
        System.Runtime.InteropServices.Architecture.Ppc64le => "ppc64le",
        System.Runtime.InteropServices.Architecture.RiscV64 => "riscv64",
        var other => other.ToString().ToLowerInvariant(),
    };

    /// <summary>
    /// Whether an image for <paramref name="candidate"/> serves a request for this platform. A
    /// missing variant on either side matches, as containerd's matcher does for arm64 (v8 default).
    /// </summary>
    public bool Matches(Platform candidate) =>
        string.Equals(Os, candidate.Os, StringComparison.Ordinal)
        && string.Equals(Architecture, candidate.Architecture, StringComparison.Ordinal)
        && (Variant is null || candidate.Variant is null || Variant == candidate.Variant);

    public override string ToString() => Variant is null ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";
}
