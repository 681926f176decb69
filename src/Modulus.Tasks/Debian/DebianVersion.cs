using System.Diagnostics.CodeAnalysis;

namespace Modulus.Debian;

/// <summary>
/// A Debian package version <c>[epoch:]upstream[-revision]</c>, ordered as Debian policy 5.6.12
/// says: epochs numerically, then upstream and revision by alternating non-digit parts (letters
/// before non-letters, '~' before everything, even the end) and numeric parts.
/// </summary>
public sealed class DebianVersion : IComparable<DebianVersion>, IEquatable<DebianVersion>
{
    private DebianVersion(string text, long epoch, string upstream, string revision)
    {
        Text = text;
        Epoch = epoch;
        Upstream = upstream;
        Revision = revision;
    }

    public string Text { get; }

    public long Epoch { get; }

    public string Upstream { get; }

    /// <summary>The Debian revision; empty when absent, which compares as "0".</summary>
    public string Revision { get; }

    public static DebianVersion Parse(string text) =>
        TryParse(text, out var version) ? version : throw new FormatException($"'{text}' is not a Debian version");

    public static bool TryParse(string? text, [NotNullWhen(true)] out DebianVersion? version)
    {
        version = null;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var value = text.Trim();
        long epoch = 0;
        var colon = value.IndexOf(':');
        if (colon >= 0)
        {
            if (!long.TryParse(value.AsSpan(0, colon), System.Globalization.NumberStyles.None, null, out epoch)) return false;
        }
        var rest = value[(colon + 1)..];
        var dash = rest.LastIndexOf('-');
        var upstream = dash >= 0 ? rest[..dash] : rest;
        var revision = dash >= 0 ? rest[(dash + 1)..] : string.Empty;
        if (upstream.Length == 0 || !char.IsAsciiDigit(upstream[0])) return false;
        if (dash >= 0 && revision.Length == 0) return false;
        if (!upstream.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '+' or '~' or '-' or ':')) return false;
        if (!revision.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '+' or '~')) return false;
        version = new DebianVersion(value, epoch, upstream, revision);
        return true;
    }

    public int CompareTo(DebianVersion? other)
    {
        if (other is null) return 1;
        var byEpoch = Epoch.CompareTo(other.Epoch);
        if (byEpoch != 0) return byEpoch;
        var byUpstream = ComparePart(Upstream, other.Upstream);
        return byUpstream != 0 ? byUpstream : ComparePart(Revision, other.Revision);
    }

    /// <summary>dpkg's verrevcmp: alternate a non-digit run (compared by <see cref="Order"/>) and a digit run (numerically).</summary>
    private static int ComparePart(string a, string b)
    {
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            while ((i < a.Length && !char.IsAsciiDigit(a[i])) || (j < b.Length && !char.IsAsciiDigit(b[j])))
            {
                var left = i < a.Length && !char.IsAsciiDigit(a[i]) ? Order(a[i]) : 0;
                var right = j < b.Length && !char.IsAsciiDigit(b[j]) ? Order(b[j]) : 0;
                if (left != right) return left - right;
                if (i < a.Length && !char.IsAsciiDigit(a[i])) i++;
                if (j < b.Length && !char.IsAsciiDigit(b[j])) j++;
            }
            while (i < a.Length && a[i] == '0') i++;
            while (j < b.Length && b[j] == '0') j++;
            var firstDiff = 0;
            while (i < a.Length && char.IsAsciiDigit(a[i]) && j < b.Length && char.IsAsciiDigit(b[j]))
            {
                if (firstDiff == 0) firstDiff = a[i] - b[j];
                i++;
                j++;
            }
            if (i < a.Length && char.IsAsciiDigit(a[i])) return 1;
            if (j < b.Length && char.IsAsciiDigit(b[j])) return -1;
            if (firstDiff != 0) return firstDiff;
        }
        return 0;
    }

    /// <summary>The weight of one non-digit character: '~' lowest, then the end of the part, then letters, then the rest.</summary>
    private static int Order(char c) => c switch
    {
        '~' => -1,
        _ when char.IsAsciiLetter(c) => c,
        _ => c + 256,
    };

    public bool Equals(DebianVersion? other) => other is not null && CompareTo(other) == 0;

    public override bool Equals(object? obj) => obj is DebianVersion other && Equals(other);

    /// <summary>Equal versions ("1.0" and "0:1.0-0") hash alike: only the epoch is safe to hash.</summary>
    public override int GetHashCode() => Epoch.GetHashCode();

    public override string ToString() => Text;
}
