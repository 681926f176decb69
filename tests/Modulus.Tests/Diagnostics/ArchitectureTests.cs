using System.Text.RegularExpressions;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Diagnostics;

public class ArchitectureTests
{
    [Test]
    public void Only_the_MSBuild_folder_uses_MSBuild()
    {
        var source = RepoPaths.Combine("src", "Modulus.Tasks");
        var msbuildFolder = Path.Combine(source, "MSBuild") + Path.DirectorySeparatorChar;
        var offenders = Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(msbuildFolder, StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Where(f => File.ReadAllText(f).Contains("Microsoft.Build", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(source, f))
            .ToArray();

        offenders.ShouldBeEmpty("the image library must know nothing of MSBuild");
    }

    /// <summary>
    /// Folders (namespaces) that import each other, directly or round a loop, are one tangle. The
    /// tangles listed here predate this test and are to be undone; any other is new and fails it.
    /// </summary>
    private static readonly string[][] KnownTangles = [["Images", "Layers"], ["Debian", "Npm", "Publishing", "Sbom"]];

    [Test]
    public void Folders_import_each_other_in_no_new_loop()
    {
        var imports = FolderImports();
        var tangles = Tangles(imports).Where(t => t.Count > 1).Select(t => t.Order(StringComparer.Ordinal).ToArray()).ToArray();

        var unknown = tangles.Where(t => !KnownTangles.Any(k => t.All(k.Contains))).Select(t => string.Join(" <-> ", t)).ToArray();
        unknown.ShouldBeEmpty("these folders import each other; one of them should own what both need");
    }

    [Test]
    public void Registry_and_Sources_do_not_import_each_other()
    {
        var imports = FolderImports();

        imports["Sources"].ShouldNotContain("Registry", "a local image source needs no registry: Registry builds on Sources");
    }

    /// <summary>Each folder of the library and the folders its files import (using Modulus.X, or Modulus.X. written out).</summary>
    private static Dictionary<string, HashSet<string>> FolderImports()
    {
        var source = RepoPaths.Combine("src", "Modulus.Tasks");
        var folders = Directory.EnumerateDirectories(source).Select(Path.GetFileName).OfType<string>()
            .Where(f => f is not ("bin" or "obj")).ToHashSet(StringComparer.Ordinal);
        var reference = new Regex(@"\bModulus\.([A-Z][A-Za-z]+)\b");
        return folders.ToDictionary(f => f, f => Directory.EnumerateFiles(Path.Combine(source, f), "*.cs", SearchOption.AllDirectories)
            .SelectMany(file => reference.Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value))
            .Where(d => d != f && folders.Contains(d))
            .ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>The strongly connected parts of the import graph (Tarjan): folders that reach each other.</summary>
    private static List<List<string>> Tangles(Dictionary<string, HashSet<string>> imports)
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var result = new List<List<string>>();
        void Visit(string folder)
        {
            index[folder] = low[folder] = index.Count;
            stack.Push(folder);
            foreach (var next in imports[folder])
            {
                if (!index.ContainsKey(next))
                {
                    Visit(next);
                    low[folder] = Math.Min(low[folder], low[next]);
                }
                else if (stack.Contains(next)) low[folder] = Math.Min(low[folder], index[next]);
            }
            if (low[folder] != index[folder]) return;
            var part = new List<string>();
            string member;
            do part.Add(member = stack.Pop()); while (member != folder);
            result.Add(part);
        }
        foreach (var folder in imports.Keys.Where(f => !index.ContainsKey(f)).ToArray()) Visit(folder);
        return result;
    }
}
