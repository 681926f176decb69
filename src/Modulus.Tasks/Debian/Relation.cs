using Modulus.Diagnostics;
using System.Text.RegularExpressions;

namespace Modulus.Debian;

/// <summary>A version constraint of a relation: <c>&lt;&lt; &lt;= = &gt;= &gt;&gt;</c>.</summary>
public sealed record VersionConstraint(string Operator, DebianVersion Version)
{
    public bool IsSatisfiedBy(DebianVersion candidate)
    {
        var order = candidate.CompareTo(Version);
        return Operator switch
        {
            "<<" => order < 0,
            "<=" => order <= 0,
            "=" => order == 0,
            ">=" => order >= 0,
            ">>" => order > 0,
            _ => false,
        };
    }

    public override string ToString() => $"{Operator} {Version}";
}

/// <summary>
/// One package named in a relation field: <c>name[:any|:native|:ARCH] [(op version)]</c>. The
/// architecture list and build profiles of source relations are dropped when parsing binaries.
/// </summary>
public sealed partial record Relation(string Name, string? ArchQualifier, VersionConstraint? Constraint)
{
    public override string ToString() =>
        Name + (ArchQualifier is null ? "" : ":" + ArchQualifier) + (Constraint is null ? "" : $" ({Constraint})");

    /// <summary>Parses one field (Depends, Provides, ...): a comma-separated list of '|' alternatives.</summary>
    public static IReadOnlyList<IReadOnlyList<Relation>> ParseField(string? field)
    {
        if (string.IsNullOrWhiteSpace(field)) return [];
        var groups = new List<IReadOnlyList<Relation>>();
        foreach (var group in field.Split(','))
        {
            var alternatives = group.Split('|').Select(a => a.Trim()).Where(a => a.Length > 0).Select(Parse).ToList();
            if (alternatives.Count > 0) groups.Add(alternatives);
        }
        return groups;
    }

    /// <summary>A package a project asks for ("bash", "libssl3 (>= 3.0)"); one that does not parse is MOD3011.</summary>
    public static Relation ParseRequest(string text)
    {
        try
        {
            return Parse(text);
        }
        catch (FormatException e)
        {
            throw new ModulusException(Errors.InvalidDebianPackageRequest, e, text, e.Message);
        }
    }

    /// <summary>
    /// A request written as a literal (<c>Packages = ["bash"]</c>) reads as one, as
    /// <see cref="System.Xml.Linq.XName"/> is made from a string; a bad one fails there, with MOD3011.
    /// </summary>
    public static implicit operator Relation(string request) => ParseRequest(request);

    /// <summary>Parses a flat list without alternatives (Provides, Conflicts, Breaks).</summary>
    public static IReadOnlyList<Relation> ParseList(string? field) => ParseField(field).SelectMany(g => g).ToList();

    public static Relation Parse(string text)
    {
        var match = Syntax().Match(text.Trim());
        if (!match.Success) throw new FormatException($"'{text}' is not a package relation");
        var name = match.Groups["name"].Value;
        var qualifier = match.Groups["arch"].Success ? match.Groups["arch"].Value : null;
        VersionConstraint? constraint = null;
        if (match.Groups["op"].Success)
        {
            var op = match.Groups["op"].Value switch { "<" => "<=", ">" => ">=", var o => o };
            if (!DebianVersion.TryParse(match.Groups["version"].Value, out var version))
                throw new FormatException($"'{text}' has an invalid version");
            constraint = new VersionConstraint(op, version);
        }
        return new Relation(name, qualifier, constraint);
    }

    [GeneratedRegex(@"^(?<name>[a-z0-9][a-z0-9+.\-]*)(?::(?<arch>[a-z0-9\-]+))?\s*(?:\(\s*(?<op><<|<=|>=|>>|=|<|>)\s*(?<version>[^)\s]+)\s*\))?\s*(?:\[[^\]]*\]\s*)*(?:<[^>]*>\s*)*$", RegexOptions.CultureInvariant)]
    private static partial Regex Syntax();
}
