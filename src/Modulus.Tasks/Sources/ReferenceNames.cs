namespace Modulus.Sources;

/// <summary>
/// Compares image names the way users write them: "busybox:1.36", "library/busybox:1.36" and
/// "docker.io/library/busybox:1.36" name the same image, and a name without a tag means ":latest".
/// </summary>
internal static class ReferenceNames
{
    public static bool Matches(string wanted, string? present) =>
        present is not null && (wanted == present || Normalize(wanted) == Normalize(present));

    private static string Normalize(string name)
    {
        var lastSlash = name.LastIndexOf('/');
        var hasTag = name.IndexOf(':', lastSlash + 1) >= 0 || name.Contains('@');
        var full = hasTag ? name : name + ":latest";
        if (full.StartsWith("docker.io/", StringComparison.Ordinal)) full = full["docker.io/".Length..];
        if (full.StartsWith("library/", StringComparison.Ordinal)) full = full["library/".Length..];
        return full;
    }
}
