using System.Globalization;

namespace Modulus.DotNet;

/// <summary>
/// A framework version as the .NET host reads it: SemVer 2, major.minor.patch with an optional
/// pre-release part (ordered before the release of the same numbers) and build metadata (ignored).
/// </summary>
public sealed record FrameworkVersion(int Major, int Minor, int Patch, string? PreRelease) : IComparable<FrameworkVersion>
{
    public bool IsPreRelease => PreRelease is not null;

    public static bool TryParse(string text, out FrameworkVersion version)
    {
        version = null!;
        var core = text.Split('+', 2)[0];
        var dash = core.IndexOf('-', StringComparison.Ordinal);
        var numbers = (dash < 0 ? core : core[..dash]).Split('.');
        var preRelease = dash < 0 ? null : core[(dash + 1)..];
        if (numbers.Length != 3 || preRelease is { Length: 0 }) return false;
        var parsed = new int[3];
        for (var i = 0; i < 3; i++)
            if (!int.TryParse(numbers[i], NumberStyles.None, CultureInfo.InvariantCulture, out parsed[i])) return false;
        version = new FrameworkVersion(parsed[0], parsed[1], parsed[2], preRelease);
        return true;
    }

    public int CompareTo(FrameworkVersion? other)
    {
        if (other is null) return 1;
        var byNumbers = (Major, Minor, Patch).CompareTo((other.Major, other.Minor, other.Patch));
        if (byNumbers != 0) return byNumbers;
        if (PreRelease is null || other.PreRelease is null) return (PreRelease is null ? 1 : 0) - (other.PreRelease is null ? 1 : 0);
        return ComparePreRelease(PreRelease, other.PreRelease);
    }

    /// <summary>SemVer 2: dot-separated identifiers, numeric ones by value and below alphanumeric ones.</summary>
    private static int ComparePreRelease(string left, string right)
    {
        var (a, b) = (left.Split('.'), right.Split('.'));
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            var aNumber = int.TryParse(a[i], NumberStyles.None, CultureInfo.InvariantCulture, out var x);
            var bNumber = int.TryParse(b[i], NumberStyles.None, CultureInfo.InvariantCulture, out var y);
            var order = (aNumber, bNumber) switch
            {
                (true, true) => x.CompareTo(y),
                (true, false) => -1,
                (false, true) => 1,
                _ => string.CompareOrdinal(a[i], b[i]),
            };
            if (order != 0) return order;
        }
        return a.Length.CompareTo(b.Length);
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}.{Patch}") + (PreRelease is null ? string.Empty : "-" + PreRelease);
}
