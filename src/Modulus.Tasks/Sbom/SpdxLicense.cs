using System.Text.RegularExpressions;

namespace Modulus.Sbom;

/// <summary>
/// A package's own licence statement as SPDX's licenseDeclared: an SPDX identifier or a simple
/// expression of identifiers when it is one, Debian's short names mapped where the mapping is
/// exact, else NOASSERTION with the statement kept as a comment.
/// </summary>
internal static partial class SpdxLicense
{
    /// <summary>Debian's short licence names that have an exact SPDX identifier.</summary>
    private static readonly Dictionary<string, string> DebianNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["GPL-2"] = "GPL-2.0-only", ["GPL-2+"] = "GPL-2.0-or-later", ["GPL-3"] = "GPL-3.0-only", ["GPL-3+"] = "GPL-3.0-or-later",
        ["LGPL-2"] = "LGPL-2.0-only", ["LGPL-2+"] = "LGPL-2.0-or-later", ["LGPL-2.1"] = "LGPL-2.1-only", ["LGPL-2.1+"] = "LGPL-2.1-or-later",
        ["LGPL-3"] = "LGPL-3.0-only", ["LGPL-3+"] = "LGPL-3.0-or-later", ["Expat"] = "MIT",
        ["BSD-2-clause"] = "BSD-2-Clause", ["BSD-3-clause"] = "BSD-3-Clause", ["BSD-4-clause"] = "BSD-4-Clause",
        // public-domain has no SPDX identifier (NONE would say there is no licence at all): it stays a comment.
        ["Artistic"] = "Artistic-1.0-Perl",
    };

    /// <summary>Identifiers this writer states without a licence list: the common ones, spelled as SPDX spells them.</summary>
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "MIT", "ISC", "Apache-2.0", "Zlib", "MPL-2.0", "BSD-2-Clause", "BSD-3-Clause", "BSD-4-Clause", "0BSD", "Unlicense",
        "CC0-1.0", "CC-BY-4.0", "BlueOak-1.0.0", "Python-2.0", "Artistic-2.0", "Artistic-1.0-Perl", "OpenSSL",
        "GPL-2.0-only", "GPL-2.0-or-later", "GPL-3.0-only", "GPL-3.0-or-later", "LGPL-2.0-only", "LGPL-2.0-or-later",
        "LGPL-2.1-only", "LGPL-2.1-or-later", "LGPL-3.0-only", "LGPL-3.0-or-later", "AGPL-3.0-only", "AGPL-3.0-or-later",
        "EPL-2.0", "MS-PL", "WTFPL",
    };

    public static (string Declared, string? Comment) Declared(string? statement)
    {
        if (string.IsNullOrWhiteSpace(statement)) return ("NOASSERTION", null);
        var text = statement.Trim();
        if (DebianNames.TryGetValue(text, out var mapped)) return (mapped, null);
        if (Expression().Match(text) is { Success: true } match
            && text.StartsWith('(') == text.EndsWith(')')
            && match.Groups["id"].Captures.All(c => Known.Contains(c.Value)))
            return (text, null);
        return ("NOASSERTION", "The package states: " + text);
    }

    /// <summary>Identifiers joined by AND or OR, optionally in one pair of parentheses, as npm's license fields write them.</summary>
    [GeneratedRegex(@"^\(?(?<id>[A-Za-z0-9.+-]+)(?:\s+(?:AND|OR)\s+(?<id>[A-Za-z0-9.+-]+))*\)?$")]
    private static partial Regex Expression();
}
