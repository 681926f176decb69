using System.Text;
using Modulus.Images;
using Modulus.Layers;

namespace Modulus.Debian;

/// <summary>
/// dpkg's path filters: which of a package's paths are not unpacked. The last rule whose pattern
/// matches a path decides; a path no rule matches is unpacked. As in dpkg, an excluded folder or
/// symlink stays when the path leading up to an include pattern's first wildcard starts it
/// (path-include /usr/share/doc/*/copyright keeps every folder and symlink below /usr/share/doc).
/// </summary>
public sealed class DpkgPathFilter
{
    /// <summary>The configuration file the rules are written to in the image, where the official slim images keep theirs.</summary>
    public const string ConfigurationPath = "/etc/dpkg/dpkg.cfg.d/docker";

    /// <summary>
    /// The rules of Debian's slim images (debuerreotype's slimify): documentation, manuals and
    /// translations left out, copyright notices and locale tables kept. Excludes first, as there.
    /// </summary>
    public static readonly IReadOnlyList<DpkgPathRule> Slim =
    [
        DpkgPathRule.Exclude("/usr/share/doc/*"),
        DpkgPathRule.Exclude("/usr/share/doc/kde/HTML/*/*"),
        DpkgPathRule.Exclude("/usr/share/gnome/help/*/*"),
        DpkgPathRule.Exclude("/usr/share/info/*"),
        DpkgPathRule.Exclude("/usr/share/linda/*"),
        DpkgPathRule.Exclude("/usr/share/lintian/overrides/*"),
        DpkgPathRule.Exclude("/usr/share/locale/*"),
        DpkgPathRule.Exclude("/usr/share/man/*"),
        DpkgPathRule.Exclude("/usr/share/omf/*/*-*.emf"),
        DpkgPathRule.Include("/usr/share/doc/*/copyright"),
        DpkgPathRule.Include("/usr/share/doc/kde/HTML/C/*"),
        DpkgPathRule.Include("/usr/share/gnome/help/*/C/*"),
        DpkgPathRule.Include("/usr/share/locale/all_languages"),
        DpkgPathRule.Include("/usr/share/locale/currency/*"),
        DpkgPathRule.Include("/usr/share/locale/l10n/*"),
        DpkgPathRule.Include("/usr/share/locale/languages"),
        DpkgPathRule.Include("/usr/share/locale/locale.alias"),
        DpkgPathRule.Include("/usr/share/omf/*/*-C.emf"),
    ];

    internal const string ConfigurationFolder = "/etc/dpkg/dpkg.cfg.d";

    public DpkgPathFilter(IReadOnlyList<DpkgPathRule> rules) => Rules = rules;

    /// <summary>
    /// The rules dpkg would follow in the image: the base image's dpkg.cfg.d files in name order,
    /// as dpkg reads them, with <paramref name="own"/> as the file at <see cref="ConfigurationPath"/>
    /// (replacing the base's file of that name). Null when no file has a rule.
    /// </summary>
    public static DpkgPathFilter? InImage(ImageFileSystem? baseFiles, DpkgPathFilter? own)
    {
        var files = baseFiles?.List(UnixPath.Parse(ConfigurationFolder))
            .Where(n => n.Type == NodeType.File)
            .ToDictionary(n => n.Path.Name, n => n.Path, StringComparer.Ordinal) ?? [];
        var ownName = UnixPath.Parse(ConfigurationPath).Name;
        var names = files.Keys.ToHashSet(StringComparer.Ordinal);
        if (own is not null) names.Add(ownName);
        var rules = new List<DpkgPathRule>();
        foreach (var name in names.Order(StringComparer.Ordinal))
        {
            if (own is not null && name == ownName) rules.AddRange(own.Rules);
            else if (baseFiles!.ReadFile(files[name]) is { } bytes) rules.AddRange(Parse(Encoding.UTF8.GetString(bytes)));
        }
        return rules.Count == 0 ? null : new DpkgPathFilter(rules);
    }

    /// <summary>
    /// The path-exclude and path-include lines of a dpkg.cfg file ("option value" or
    /// "option=value"); other options, comments and patterns dpkg could not use are passed over.
    /// </summary>
    public static IReadOnlyList<DpkgPathRule> Parse(string configuration)
    {
        var rules = new List<DpkgPathRule>();
        foreach (var raw in configuration.Split('\n'))
        {
            var line = raw.Trim();
            var split = line.IndexOfAny([' ', '\t', '=']);
            if (split < 0 || line.StartsWith('#')) continue;
            var (option, pattern) = (line[..split], line[(split + 1)..].Trim());
            if (option is not ("path-exclude" or "path-include") || !pattern.StartsWith('/')) continue;
            rules.Add(option == "path-include" ? DpkgPathRule.Include(pattern) : DpkgPathRule.Exclude(pattern));
        }
        return rules;
    }

    public IReadOnlyList<DpkgPathRule> Rules { get; }

    /// <summary>Whether dpkg would leave out <paramref name="path"/> (absolute, no trailing '/').</summary>
    public bool Skips(string path, bool isFolderOrSymlink)
    {
        var skip = false;
        foreach (var rule in Rules)
            if (rule.Regex.IsMatch(path)) skip = !rule.IsInclude;
        return skip && !(isFolderOrSymlink && Rules.Any(r => r.IsInclude && path.StartsWith(LiteralPrefix(r.Pattern), StringComparison.Ordinal)));
    }

    /// <summary>The pattern up to its first wildcard or escape, without trailing slashes.</summary>
    private static string LiteralPrefix(string pattern)
    {
        var wildcard = pattern.IndexOfAny(['*', '?', '[', '\\']);
        return (wildcard < 0 ? pattern : pattern[..wildcard]).TrimEnd('/');
    }

    /// <summary>The rules as a dpkg.cfg.d file, so dpkg in images built on this one keeps leaving the same paths out.</summary>
    public string ToConfiguration()
    {
        var text = new StringBuilder()
            .Append("# Paths dpkg leaves out when it unpacks a package; the image's own packages were installed\n")
            .Append("# with the same rules. Many files that containers seldom need are left out.\n");
        foreach (var rule in Rules) text.Append(rule).Append('\n');
        return text.ToString();
    }
}
