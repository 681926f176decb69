using System.Globalization;

namespace Modulus.Debian;

/// <summary>
/// One line of dpkg's <c>/var/lib/dpkg/statoverride</c>: the owner and mode dpkg gives
/// <see cref="Path"/> (the path its package names) whenever it installs that file.
/// </summary>
public sealed record StatOverride(string Path, int Uid, int Gid, int Mode)
{
    public const string FilePath = "/var/lib/dpkg/statoverride";

    /// <summary>"#0 #42 755 /usr/bin/chage": dpkg reads '#' before a number as a numeric id, so no account name is needed.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"#{Uid} #{Gid} {Convert.ToString(Mode, 8)} {Path}");

    /// <summary>The statoverride file: <paramref name="existing"/> lines for other paths kept, then these, sorted by path.</summary>
    public static string Merge(string? existing, IReadOnlyList<StatOverride> overrides)
    {
        var ours = overrides.Select(o => o.Path).ToHashSet(StringComparer.Ordinal);
        var kept = (existing ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => line.Split(' ', 4) is not [_, _, _, var path] || !ours.Contains(path));
        return string.Join("\n", kept.Concat(overrides.OrderBy(o => o.Path, StringComparer.Ordinal).Select(o => o.ToString()))) + "\n";
    }
}
