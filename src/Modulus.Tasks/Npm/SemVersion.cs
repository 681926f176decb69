using System.Globalization;

namespace Modulus.Npm;

/// <summary>
/// A semantic version (major.minor.patch[-prerelease][+build]) ordered by SemVer 2.0.0 precedence:
/// build metadata is ignored, a pre-release sorts before its release, numeric identifiers compare
/// as numbers and sort before alphanumeric ones.
/// </summary>
public sealed record SemVersion(long Major, long Minor, long Patch, IReadOnlyList<string> Prerelease) : IComparable<SemVersion>
{
    public bool IsPrerelease => Prerelease.Count > 0;

    /// <summary>Parses a full version; a leading 'v' or '=' is allowed, as npm allows it.</summary>
    public static bool TryParse(string? text, out SemVersion version)
    {
        version = null!;
        if (text is null) return false;
        var value = text.Trim().TrimStart('=', 'v');
        var plus = value.IndexOf('+');
        if (plus >= 0) value = value[..plus];
        var dash = value.IndexOf('-');
        var core = dash >= 0 ? value[..dash] : value;
        string[] prerelease = [];
        if (dash >= 0)
        {
            prerelease = value[(dash + 1)..].Split('.');
            if (prerelease.Any(p => p.Length == 0 || !p.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))) return false;
        }
        var parts = core.Split('.');
        if (parts.Length != 3) return false;
        if (!TryNumber(parts[0], out var major) || !TryNumber(parts[1], out var minor) || !TryNumber(parts[2], out var patch)) return false;
        version = new SemVersion(major, minor, patch, prerelease);
        return true;
    }

    internal static bool TryNumber(string text, out long value)
    {
        value = 0;
        return text.Length > 0 && text.All(char.IsAsciiDigit) &&
               long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    public int CompareTo(SemVersion? other)
    {
        if (other is null) return 1;
        var c = Major.CompareTo(other.Major);
        if (c == 0) c = Minor.CompareTo(other.Minor);
        if (c == 0) c = Patch.CompareTo(other.Patch);
        if (c != 0) return c;
        if (Prerelease.Count == 0 || other.Prerelease.Count == 0) return other.Prerelease.Count.CompareTo(Prerelease.Count);
        for (var i = 0; i < Math.Min(Prerelease.Count, other.Prerelease.Count); i++)
        {
            c = CompareIdentifier(Prerelease[i], other.Prerelease[i]);
            if (c != 0) return c;
        }
        return Prerelease.Count.CompareTo(other.Prerelease.Count);
    }

    private static int CompareIdentifier(string a, string b)
    {
        var aNumeric = TryNumber(a, out var aNumber);
        var bNumeric = TryNumber(b, out var bNumber);
        if (aNumeric && bNumeric) return aNumber.CompareTo(bNumber);
        if (aNumeric != bNumeric) return aNumeric ? -1 : 1;
        return string.CompareOrdinal(a, b);
    }

    /// <summary>True when both versions have the same major, minor and patch numbers.</summary>
    public bool SameRelease(SemVersion other) => Major == other.Major && Minor == other.Minor && Patch == other.Patch;

    public bool Equals(SemVersion? other) => other is not null && CompareTo(other) == 0;

    public override int GetHashCode() => HashCode.Combine(Major, Minor, Patch, string.Join('.', Prerelease));

    public static bool operator <(SemVersion a, SemVersion b) => a.CompareTo(b) < 0;
    public static bool operator >(SemVersion a, SemVersion b) => a.CompareTo(b) > 0;
    public static bool operator <=(SemVersion a, SemVersion b) => a.CompareTo(b) <= 0;
    public static bool operator >=(SemVersion a, SemVersion b) => a.CompareTo(b) >= 0;

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}.{Patch}") + (IsPrerelease ? "-" + string.Join('.', Prerelease) : "");
}
