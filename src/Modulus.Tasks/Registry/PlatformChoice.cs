using Modulus.Diagnostics;
using Modulus.Oci;

namespace Modulus.Registry;

/// <summary>Picks the manifest of an index that serves a platform.</summary>
internal static class PlatformChoice
{
    /// <summary>
    /// An exact match (variant included) wins over one where either side leaves the variant out;
    /// entries without a platform (attestations, for one) are never chosen.
    /// </summary>
    public static Descriptor Select(ImageIndex index, Platform platform, string what)
    {
        var candidates = index.Manifests.Where(m => m.Platform is not null && MediaTypes.IsManifest(m.MediaType) && platform.Matches(m.Platform)).ToArray();
        var chosen = candidates.FirstOrDefault(m => m.Platform!.Variant == platform.Variant) ?? candidates.FirstOrDefault();
        if (chosen is not null) return chosen;
        var offered = index.Manifests.Where(m => m.Platform is not null).Select(m => m.Platform!.ToString()).Distinct().ToArray();
        throw new ModulusException(Errors.PlatformNotFound, what, platform, offered.Length == 0 ? "no platforms" : string.Join(", ", offered));
    }
}
