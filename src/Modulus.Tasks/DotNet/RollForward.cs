namespace Modulus.DotNet;

/// <summary>The host's roll-forward policies (runtimeconfig.json rollForward, DOTNET_ROLL_FORWARD).</summary>
public enum RollForward { Disable, LatestPatch, Minor, LatestMinor, Major, LatestMajor }

/// <summary>
/// Chooses the framework version the .NET host would run for a reference, as its framework
/// resolution does: the policy picks a major.minor, a release reference prefers release versions
/// (pre-release ones only when no release fits, or always with DOTNET_ROLL_FORWARD_TO_PRERELEASE=1),
/// and a chosen release rolls to its latest patch unless the policy is Disable.
/// </summary>
public static class FrameworkResolver
{
    public static bool TryParsePolicy(string? text, out RollForward policy)
    {
        policy = RollForward.Minor;
        return string.IsNullOrWhiteSpace(text) || Enum.TryParse(text.Trim(), ignoreCase: true, out policy) && Enum.IsDefined(policy);
    }

    public static FrameworkVersion? Resolve(FrameworkVersion wanted, RollForward policy, IEnumerable<FrameworkVersion> available, bool rollToPreRelease = false)
    {
        var candidates = available.Where(v => v.CompareTo(wanted) >= 0).ToArray();
        if (wanted.IsPreRelease || rollToPreRelease) return Pick(wanted, policy, candidates);
        return Pick(wanted, policy, candidates.Where(v => !v.IsPreRelease).ToArray()) ?? Pick(wanted, policy, candidates);
    }

    private static FrameworkVersion? Pick(FrameworkVersion wanted, RollForward policy, IReadOnlyList<FrameworkVersion> candidates)
    {
        if (policy == RollForward.Disable) return candidates.FirstOrDefault(v => v.CompareTo(wanted) == 0);
        var sameMajor = candidates.Where(v => v.Major == wanted.Major).ToArray();
        var sameMinor = sameMajor.Where(v => v.Minor == wanted.Minor).ToArray();
        var chosen = policy switch
        {
            RollForward.LatestPatch => sameMinor.Min(),
            RollForward.Minor => sameMinor.Min() ?? sameMajor.Min(),
            RollForward.Major => sameMinor.Min() ?? sameMajor.Min() ?? LowestOfLowestMajor(candidates),
            RollForward.LatestMinor => sameMajor.Max(),
            _ => candidates.Max(),
        };
        if (chosen is null || chosen.IsPreRelease) return chosen;
        return candidates.Where(v => v.Major == chosen.Major && v.Minor == chosen.Minor && !v.IsPreRelease).Max();
    }

    private static FrameworkVersion? LowestOfLowestMajor(IReadOnlyList<FrameworkVersion> candidates) =>
        candidates.Count == 0 ? null : candidates.Where(v => v.Major == candidates.Min(c => c.Major)).Min();
}
