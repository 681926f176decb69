using System.Text.RegularExpressions;
using Modulus.Diagnostics;

namespace Modulus.Npm;

/// <summary>
/// An npm version range: alternatives joined by <c>||</c>, each a set of comparators that must all
/// hold. Understands exact versions, <c>&lt; &lt;= &gt; &gt;= =</c>, x-ranges (<c>1.x</c>, <c>1.2</c>,
/// <c>*</c>), tilde, caret and hyphen ranges, desugared as npm's semver package does. A pre-release
/// version matches only when pre-releases are asked for, or when a comparator of the same set names
/// a pre-release of the same major.minor.patch (so <c>&gt;=1.2.3-beta.1</c> admits 1.2.3-beta.2).
/// </summary>
public sealed partial class SemVerRange
{
    private readonly IReadOnlyList<IReadOnlyList<Comparator>> _alternatives;

    private SemVerRange(string text, IReadOnlyList<IReadOnlyList<Comparator>> alternatives)
    {
        Text = text;
        _alternatives = alternatives;
    }

    public string Text { get; }

    public override string ToString() => Text;

    public static SemVerRange Parse(string text) =>
        TryParse(text, out var range, out var reason) ? range : throw new ModulusException(Errors.NpmVersionRangeInvalid, text, reason);

    public static bool TryParse(string? text, out SemVerRange range, out string reason)
    {
        range = null!;
        reason = "it is empty";
        if (text is null) return false;
        var alternatives = new List<IReadOnlyList<Comparator>>();
        foreach (var alternative in text.Split("||"))
        {
            var comparators = ParseAlternative(alternative.Trim(), out reason);
            if (comparators is null) return false;
            alternatives.Add(comparators);
        }
        range = new SemVerRange(text.Trim(), alternatives);
        return true;
    }

    public bool IsSatisfiedBy(SemVersion version, bool includePrerelease = false) =>
        _alternatives.Any(set => set.All(c => c.Holds(version)) &&
                                 (!version.IsPrerelease || includePrerelease ||
                                  set.Any(c => c.Version.IsPrerelease && c.Version.SameRelease(version))));

    /// <summary>The highest of <paramref name="versions"/> in the range, or null.</summary>
    public SemVersion? Highest(IEnumerable<SemVersion> versions, bool includePrerelease = false) =>
        versions.Where(v => IsSatisfiedBy(v, includePrerelease)).Max();

    private static List<Comparator>? ParseAlternative(string text, out string reason)
    {
        reason = "";
        var hyphen = HyphenPattern().Match(text);
        if (hyphen.Success)
        {
            var from = Partial.Parse(hyphen.Groups[1].Value);
            var to = Partial.Parse(hyphen.Groups[2].Value);
            if (from is null || to is null)
            {
                reason = $"'{text}' is not a hyphen range of two versions";
                return null;
            }
            return [.. Lower(">=", from), .. Upper("<=", to)];
        }
        var comparators = new List<Comparator>();
        foreach (var token in OperatorSpacePattern().Replace(text, "$1").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var op = OperatorPattern().Match(token).Value;
            var partial = Partial.Parse(token[op.Length..]);
            if (partial is null)
            {
                reason = $"'{token}' is not a version";
                return null;
            }
            comparators.AddRange(op switch
            {
                "~" or "~>" => Tilde(partial),
                "^" => Caret(partial),
                ">=" or ">" => Lower(op, partial),
                "<=" or "<" => Upper(op, partial),
                _ => XRange(partial),
            });
        }
        if (comparators.Count == 0) comparators.Add(Any);
        return comparators;
    }

    private static readonly Comparator Any = new(">=", new SemVersion(0, 0, 0, []));

    private static IEnumerable<Comparator> XRange(Partial p) =>
        p.Major is null ? [Any]
        : p.Patch is not null ? [new Comparator("=", p.Floor())]
        : [new Comparator(">=", p.Floor()), new Comparator("<", p.Next())];

    private static IEnumerable<Comparator> Tilde(Partial p) =>
        p.Major is null ? [Any]
        : [new Comparator(">=", p.Floor()), new Comparator("<", p.Minor is null ? Start(p.Major.Value + 1, 0, 0) : Start(p.Major.Value, p.Minor.Value + 1, 0))];

    /// <summary>Allows changes that do not modify the left-most non-zero number given.</summary>
    private static IEnumerable<Comparator> Caret(Partial p)
    {
        if (p.Major is not { } major) return [Any];
        SemVersion upper = major > 0 || p.Minor is null ? Start(major + 1, 0, 0)
            : p.Minor > 0 || p.Patch is null ? Start(0, p.Minor.Value + 1, 0)
            : Start(0, 0, p.Patch.Value + 1);
        return [new Comparator(">=", p.Floor()), new Comparator("<", upper)];
    }

    private static IEnumerable<Comparator> Lower(string op, Partial p) =>
        p.Major is null ? (op == ">" ? [new Comparator("<", Start(0, 0, 0))] : [Any])
        : op == ">" && p.Patch is null ? [new Comparator(">=", p.Next() with { Prerelease = [] })]
        : [new Comparator(op, p.Floor())];

    private static IEnumerable<Comparator> Upper(string op, Partial p) =>
        p.Major is null ? (op == "<" ? [new Comparator("<", Start(0, 0, 0))] : [Any])
        : p.Patch is not null ? [new Comparator(op, p.Floor())]
        : op == "<=" ? [new Comparator("<", p.Next())]
        : [new Comparator("<", p.Floor() with { Prerelease = ["0"] })];

    /// <summary>The lowest version of a release line, below all its pre-releases.</summary>
    private static SemVersion Start(long major, long minor, long patch) => new(major, minor, patch, ["0"]);

    [GeneratedRegex(@"^(\S+)\s+-\s+(\S+)$")]
    private static partial Regex HyphenPattern();

    [GeneratedRegex(@"(<=|>=|~>|<|>|=|~|\^)\s+")]
    private static partial Regex OperatorSpacePattern();

    [GeneratedRegex(@"^(<=|>=|~>|<|>|=|~|\^)?")]
    private static partial Regex OperatorPattern();

    private sealed record Comparator(string Op, SemVersion Version)
    {
        public bool Holds(SemVersion v) => Op switch
        {
            "<" => v < Version,
            "<=" => v <= Version,
            ">" => v > Version,
            ">=" => v >= Version,
            _ => v.CompareTo(Version) == 0,
        };
    }

    /// <summary>A version with trailing parts missing or wildcards (1, 1.2, 1.x, *).</summary>
    private sealed record Partial(long? Major, long? Minor, long? Patch, IReadOnlyList<string> Prerelease)
    {
        public static Partial? Parse(string text)
        {
            var value = text.TrimStart('v', '=');
            if (value.Length == 0) return new Partial(null, null, null, []);
            var plus = value.IndexOf('+');
            if (plus >= 0) value = value[..plus];
            var dash = value.IndexOf('-');
            var parts = (dash >= 0 ? value[..dash] : value).Split('.');
            if (parts.Length > 3) return null;
            var numbers = new long?[3];
            for (var i = 0; i < parts.Length; i++)
            {
                if (parts[i] is "x" or "X" or "*") break;
                if (!SemVersion.TryNumber(parts[i], out var n)) return null;
                numbers[i] = n;
            }
            IReadOnlyList<string> prerelease = [];
            if (dash >= 0)
            {
                if (numbers[2] is null || !SemVersion.TryParse(value, out var full)) return null;
                prerelease = full.Prerelease;
            }
            return new Partial(numbers[0], numbers[1], numbers[2], prerelease);
        }

        public SemVersion Floor() => new(Major ?? 0, Minor ?? 0, Patch ?? 0, Prerelease);

        /// <summary>The start of the next line at the last given part: 1.2 gives 1.3.0-0, 1 gives 2.0.0-0.</summary>
        public SemVersion Next() =>
            Minor is null ? Start(Major!.Value + 1, 0, 0)
            : Patch is null ? Start(Major!.Value, Minor.Value + 1, 0)
            : Start(Major!.Value, Minor.Value, Patch.Value + 1);
    }
}
