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
    /// The imports that close a cycle between folders today, each the one that should go (the
    /// folder on the left should not need the one on the right). Shrink this list; never grow it.
    /// </summary>
    private static readonly (string From, string To, string Why)[] KnownCycles =
    [
    ];

    private static FolderImports CoreImports() => FolderImports.Read(RepoPaths.Combine("src", "Modulus.Tasks"));

    [Test]
    public void The_core_folders_import_each_other_in_one_direction_only()
    {
        var imports = CoreImports();
        imports.Imports("MSBuild").ShouldContain("Publishing", "the reader must see the task adapters import the core, or it sees nothing");

        var cycle = imports.FindCycle(KnownCycles.Select(k => (k.From, k.To)).ToHashSet());

        cycle.ShouldBeNull(cycle is null ? null : "a new import cycle between folders: "
            + string.Join("; ", cycle.Zip(cycle.Skip(1), imports.Describe)) + ". Move the shared type to the folder both can import.");
    }

    [Test]
    public void Every_known_cycle_still_exists_so_the_list_cannot_go_stale()
    {
        var imports = CoreImports();
        var none = new HashSet<(string, string)>();
        var gone = KnownCycles
            .Where(k => !imports.Imports(k.From).Contains(k.To) || imports.PathBetween(k.To, k.From, none) is null)
            .Select(k => $"{k.From} -> {k.To}")
            .ToArray();

        gone.ShouldBeEmpty("these imports no longer close a cycle: take them off KnownCycles in ArchitectureTests");
    }
}
