using Modulus.Oci;

namespace Modulus.Sources;

/// <summary>
/// Compares image names the way users write them: "busybox:1.36", "library/busybox:1.36" and
/// "docker.io/library/busybox:1.36" name the same image, and a name without a tag means ":latest".
/// Names that are not references (a bare tag such as "v1") must match exactly.
/// </summary>
internal static class ReferenceNames
{
    public static bool Matches(string wanted, string? present) =>
        present is not null
        && (wanted == present
            || (ImageReference.TryParse(wanted, out var a, out _) && ImageReference.TryParse(present, out var b, out _) && a == b));
}
