using Modulus.Diagnostics;

namespace Modulus.Oci;

/// <summary>Picks the entry of an image index that serves a platform: one rule for registries, layouts and archives.</summary>
public static class PlatformChoice
{
    /// <summary>
    /// An exact match (variant included) wins over one where either side leaves the variant out.
    /// Entries without a platform, and attestations and signatures (which carry unknown/unknown),
    /// are not images to run: they are never chosen nor offered in the error (MOD2005).
    /// </summary>
    public static Descriptor Select(IReadOnlyList<Descriptor> entries, Platform platform, string what)
    {
        var offered = entries.Where(e => e.Platform is { Os: not "unknown" }).ToArray();
        return offered.FirstOrDefault(e => platform.Matches(e.Platform!) && e.Platform!.Variant == platform.Variant)
            ?? offered.FirstOrDefault(e => platform.Matches(e.Platform!))
            ?? throw new ModulusException(Errors.PlatformNotFound, what, platform,
                offered.Length == 0 ? "no platforms" : string.Join(", ", offered.Select(e => e.Platform!.ToString()).Distinct()));
    }
}
