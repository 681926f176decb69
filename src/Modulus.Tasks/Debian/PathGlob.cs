using System.Text;
using System.Text.RegularExpressions;

namespace Modulus.Debian;

/// <summary>
/// fnmatch(3) with no flags, as dpkg's path filters call it: '*' matches any run of characters
/// including '/' and a leading '.', '?' any one character, '[...]' a set ('!' or '^' negates,
/// ranges, POSIX classes in the C locale), and '\' makes the next character literal. A '[' with
/// no closing ']' is literal.
/// </summary>
internal static class PathGlob
{
    private static readonly Dictionary<string, string> Classes = new(StringComparer.Ordinal)
    {
        ["alpha"] = "a-zA-Z", ["digit"] = "0-9", ["alnum"] = "a-zA-Z0-9", ["upper"] = "A-Z", ["lower"] = "a-z",
        ["space"] = @" \t\n\r\f\v", ["blank"] = @" \t", ["xdigit"] = "0-9a-fA-F",
        ["punct"] = @"!-/:-@\[-`{-~", ["print"] = " -~", ["graph"] = "!-~", ["cntrl"] = @"\x00-\x1f\x7f",
    };

    public static Regex ToRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case '*':
                    regex.Append(".*");
                    break;
                case '?':
                    regex.Append('.');
                    break;
                case '\\' when i + 1 < pattern.Length:
                    regex.Append(Regex.Escape(pattern[++i].ToString()));
                    break;
                case '[' when Set(pattern, i) is ({ } set, var end):
                    regex.Append(set);
                    i = end;
                    break;
                default:
                    regex.Append(Regex.Escape(pattern[i].ToString()));
                    break;
            }
        }
        return new Regex(regex.Append('$').ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant);
    }

    /// <summary>The regex class for the set opening at <paramref name="start"/> and the index of its ']'; null when it never closes.</summary>
    private static (string? Set, int End) Set(string pattern, int start)
    {
        var i = start + 1;
        var negated = i < pattern.Length && pattern[i] is '!' or '^';
        if (negated) i++;
        var set = new StringBuilder(negated ? "[^" : "[");
        var first = true;
        while (i < pattern.Length && (pattern[i] != ']' || first))
        {
            first = false;
            if (pattern[i] == '[' && i + 1 < pattern.Length && pattern[i + 1] == ':'
                && pattern.IndexOf(":]", i + 2, StringComparison.Ordinal) is var close and > 0
                && Classes.TryGetValue(pattern[(i + 2)..close], out var members))
            {
                set.Append(members);
                i = close + 2;
                continue;
            }
            var low = pattern[i] == '\\' && i + 1 < pattern.Length ? pattern[++i] : pattern[i];
            i++;
            if (i + 1 < pattern.Length && pattern[i] == '-' && pattern[i + 1] != ']')
            {
                var high = pattern[i + 1] == '\\' && i + 2 < pattern.Length ? pattern[i += 2] : pattern[++i];
                i++;
                // A reversed range matches nothing, as in glibc; NUL stands for that member, as no
                // path holds one (a regex would refuse the reversed range itself).
                if (high < low) set.Append(Literal('\0'));
                else set.Append(Literal(low)).Append('-').Append(Literal(high));
            }
            else set.Append(Literal(low));
        }
        return i < pattern.Length ? (set.Append(']').ToString(), i) : (null, start);
    }

    private static string Literal(char c) => $"\\u{(int)c:x4}";
}
