using System.Text.RegularExpressions;

namespace Modulus.Tests.Diagnostics;

/// <summary>
/// Which top folders of a source tree import which, read from the text of its .cs files: a file in
/// folder A imports folder B when its code (comments left out) names Modulus.B, in a using line
/// or fully qualified. Folders are namespaces here, so this is the namespace graph too.
/// </summary>
internal sealed partial class FolderImports
{
    private readonly Dictionary<string, SortedDictionary<string, SortedSet<string>>> _edges;

    private FolderImports(Dictionary<string, SortedDictionary<string, SortedSet<string>>> edges) => _edges = edges;

    public IReadOnlyCollection<string> Folders => _edges.Keys;

    public static FolderImports Read(string root)
    {
        var folders = Directory.GetDirectories(root).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj")).Cast<string>().ToHashSet();
        var edges = folders.ToDictionary(f => f, _ => new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal));
        foreach (var folder in folders)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories))
            {
                var code = Comments().Replace(File.ReadAllText(file), string.Empty);
                foreach (var imported in QualifiedName().Matches(code).Select(m => m.Groups[1].Value).Distinct())
                {
                    if (imported == folder || !folders.Contains(imported)) continue;
                    if (!edges[folder].TryGetValue(imported, out var files)) edges[folder][imported] = files = new SortedSet<string>(StringComparer.Ordinal);
                    files.Add(Path.GetRelativePath(root, file).Replace('\\', '/'));
                }
            }
        }
        return new FolderImports(edges);
    }

    public IEnumerable<string> Imports(string folder) => _edges[folder].Keys;

    /// <summary>"A -> B (files of A that import B)", for failure messages.</summary>
    public string Describe(string from, string to) => $"{from} -> {to} ({string.Join(", ", _edges[from][to])})";

    /// <summary>A path of imports from <paramref name="from"/> to <paramref name="to"/>, or null.</summary>
    public List<string>? PathBetween(string from, string to, ISet<(string, string)> skipped)
    {
        var cameFrom = new Dictionary<string, string> { [from] = from };
        var queue = new Queue<string>([from]);
        while (queue.TryDequeue(out var folder))
        {
            foreach (var next in Imports(folder).Where(n => !skipped.Contains((folder, n))))
            {
                if (!cameFrom.TryAdd(next, folder)) continue;
                if (next == to) return Walk(cameFrom, from, to);
                queue.Enqueue(next);
            }
        }
        return null;
    }

    /// <summary>One cycle of imports that leaves out the <paramref name="skipped"/> edges, as its folders in order, or null.</summary>
    public List<string>? FindCycle(ISet<(string, string)> skipped)
    {
        foreach (var folder in Folders.Order(StringComparer.Ordinal))
        {
            foreach (var next in Imports(folder).Where(n => !skipped.Contains((folder, n))))
            {
                if (PathBetween(next, folder, skipped) is { } back) return [folder, .. back];
            }
        }
        return null;
    }

    private static List<string> Walk(Dictionary<string, string> cameFrom, string from, string to)
    {
        var path = new List<string> { to };
        for (var at = to; at != from; at = cameFrom[at]) path.Insert(0, cameFrom[at]);
        return path;
    }

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex Comments();

    [GeneratedRegex(@"\bModulus\.([A-Z][A-Za-z0-9]*)")]
    private static partial Regex QualifiedName();
}
