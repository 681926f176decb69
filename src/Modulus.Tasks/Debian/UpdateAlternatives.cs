using System.Text;
using System.Text.RegularExpressions;
using Modulus.Layers;

namespace Modulus.Debian;

/// <summary>
/// What update-alternatives would do for the alternatives postinst scripts register with
/// literal arguments (awk -> mawk): in auto mode the highest priority wins.
/// </summary>
public static partial class UpdateAlternatives
{
    /// <summary>One alternative a postinst registers: link, name, path, priority and its slave links.</summary>
    public sealed record Alternative(string Link, string Name, string Path, int Priority, IReadOnlyList<(string Link, string Name, string Path)> Slaves);

    /// <summary>Finds <c>update-alternatives --install</c> calls whose arguments are all literal (no shell variables).</summary>
    public static IReadOnlyList<Alternative> FindAlternatives(string script)
    {
        var joined = script.Replace("\\\r\n", " ").Replace("\\\n", " ");
        var found = new List<Alternative>();
        foreach (Match call in InstallCall().Matches(joined))
        {
            var words = call.Groups["args"].Value.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length < 4 || words.Any(w => w.Contains('$') || w.Contains('`')) || !int.TryParse(words[3], out var priority)) continue;
            var slaves = new List<(string, string, string)>();
            for (var i = 4; i + 3 < words.Length && words[i] == "--slave"; i += 4)
                slaves.Add((words[i + 1], words[i + 2], words[i + 3]));
            found.Add(new Alternative(words[0], words[1], words[2], priority, slaves));
        }
        return found;
    }

    /// <summary>
    /// Points each alternative at its highest-priority path present in the image, as
    /// update-alternatives does in auto mode, and writes its state file so update-alternatives
    /// in the container knows it.
    /// </summary>
    public static void Apply(InstallTree tree, IReadOnlyList<UnpackedPackage> packages)
    {
        var all = packages.SelectMany(p => FindAlternatives(p.ReadControlMember("postinst") ?? string.Empty))
            .Where(a => tree.Contains(UnixPath.Parse(a.Path)))
            .GroupBy(a => a.Name, StringComparer.Ordinal);
        foreach (var group in all)
        {
            var choices = group.OrderByDescending(a => a.Priority).ThenBy(a => a.Path, StringComparer.Ordinal).ToList();
            var best = choices[0];
            Link(tree, best.Link, best.Name, best.Path);
            foreach (var (link, name, path) in best.Slaves)
                if (tree.Contains(UnixPath.Parse(path))) Link(tree, link, name, path);
            tree.Put(new FileEntry(UnixPath.Parse("/var/lib/dpkg/alternatives/" + best.Name), FileContent.FromText(StateFile(best, choices))));
        }
    }

    private static void Link(InstallTree tree, string link, string name, string path)
    {
        tree.Put(new SymlinkEntry(UnixPath.Parse("/etc/alternatives/" + name), path));
        tree.Put(new SymlinkEntry(UnixPath.Parse(link), "/etc/alternatives/" + name));
    }

    /// <summary>update-alternatives' administrative file: mode, master link, slaves, then each choice with its priority and slave paths.</summary>
    private static string StateFile(Alternative best, IReadOnlyList<Alternative> choices)
    {
        var text = new StringBuilder("auto\n").Append(best.Link).Append('\n');
        foreach (var (link, name, _) in best.Slaves) text.Append(name).Append('\n').Append(link).Append('\n');
        text.Append('\n');
        foreach (var choice in choices)
        {
            text.Append(choice.Path).Append('\n').Append(choice.Priority).Append('\n');
            foreach (var (_, name, _) in best.Slaves)
                text.Append(choice.Slaves.FirstOrDefault(s => s.Name == name).Path ?? string.Empty).Append('\n');
        }
        return text.Append('\n').ToString();
    }

    [GeneratedRegex(@"update-alternatives\s+(?:--quiet\s+)?--install\s+(?<args>[^;&|\n]*)")]
    private static partial Regex InstallCall();
}
