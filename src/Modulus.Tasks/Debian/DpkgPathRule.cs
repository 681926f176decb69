using System.Text.RegularExpressions;
using Modulus.Diagnostics;

namespace Modulus.Debian;

/// <summary>One path-exclude or path-include line of dpkg's configuration.</summary>
public sealed class DpkgPathRule
{
    private DpkgPathRule(bool include, string pattern)
    {
        IsInclude = include;
        Pattern = pattern;
        Regex = PathGlob.ToRegex(pattern);
    }

    /// <summary>True for path-include, false for path-exclude.</summary>
    public bool IsInclude { get; }

    /// <summary>The glob as written: fnmatch(3) without FNM_PATHNAME, so '*' also matches '/'.</summary>
    public string Pattern { get; }

    internal Regex Regex { get; }

    public static DpkgPathRule Exclude(string pattern) => new(include: false, Checked(pattern, "ModulusDebianPathExclude"));

    public static DpkgPathRule Include(string pattern) => new(include: true, Checked(pattern, "ModulusDebianPathInclude"));

    /// <summary>The line as dpkg.cfg takes it.</summary>
    public override string ToString() => (IsInclude ? "path-include " : "path-exclude ") + Pattern;

    /// <summary>dpkg compares patterns with absolute paths; a line break would split the line in dpkg.cfg.d.</summary>
    private static string Checked(string pattern, string item)
    {
        var trimmed = pattern.Trim();
        if (!trimmed.StartsWith('/'))
            throw new ModulusException(Errors.DebianPathPatternInvalid, item, pattern, "it does not start with '/'; dpkg matches patterns against absolute paths such as /usr/share/doc/bash/README");
        if (trimmed.Any(char.IsControl))
            throw new ModulusException(Errors.DebianPathPatternInvalid, item, pattern, "it holds a control character, which cannot be written as one line of dpkg's configuration");
        return trimmed;
    }
}
