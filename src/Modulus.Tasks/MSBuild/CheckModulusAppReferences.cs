using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Modulus.Diagnostics;

namespace Modulus.MSBuild;

/// <summary>
/// Checks the ProjectReference items that have a Destination before their projects are built or
/// published: each must be a .NET app, not a Modulus project, referenced once, with a Destination,
/// Mode and Owner that can be used, and with one target framework to publish. Every bad reference
/// is reported at its line, not only the first. <see cref="Resolved"/> gives the references back
/// with the framework to build: none for an app with one TargetFramework (so that it is the same
/// project instance a solution builds), else the one chosen or the only one listed.
/// </summary>
public sealed class CheckModulusAppReferences : Microsoft.Build.Utilities.Task
{
    /// <summary>The project whose references these are; errors point into it.</summary>
    [Required]
    public string ProjectFile { get; set; } = string.Empty;

    /// <summary>The ProjectReference items with a Destination; metadata Destination, Mode, Owner, SetTargetFramework, AdditionalProperties.</summary>
    public ITaskItem[] References { get; set; } = [];

    /// <summary>The full paths of the referenced projects that are Modulus projects (they answered _ModulusIsImageProject).</summary>
    public ITaskItem[] ImageProjects { get; set; } = [];

    /// <summary>What the referenced projects answered to GetTargetFrameworks: TargetFrameworks, HasSingleTargetFramework.</summary>
    public ITaskItem[] Frameworks { get; set; } = [];

    /// <summary>The references, with TargetFramework added to AdditionalProperties where the app targets several.</summary>
    [Output]
    public ITaskItem[] Resolved { get; set; } = [];

    public override bool Execute()
    {
        var log = new TaskBuildLog(Log, ProjectFile);
        var locator = new ItemLocator(ProjectFile, new SourceLocation(BuildEngine.ProjectFileOfTaskNode, BuildEngine.LineNumberOfTaskNode));
        var imageProjects = ImageProjects.Select(p => Path.GetFullPath(p.ItemSpec)).ToHashSet(PathComparer);
        var frameworks = Frameworks.GroupBy(f => Path.GetFullPath(f.ItemSpec), PathComparer).ToDictionary(g => g.Key, g => g.First(), PathComparer);
        var seen = new Dictionary<string, string>(PathComparer);
        var resolved = new List<ITaskItem>();
        foreach (var reference in References)
        {
            var app = AppMapping.ToPlanned(reference, [], locator);
            try
            {
                var fullPath = reference.GetMetadata("FullPath");
                if (imageProjects.Contains(fullPath))
                    throw new ModulusException(Errors.AppReferenceIsImageProject, app.Reference, app.Destination);
                if (!seen.TryAdd(fullPath, app.Reference))
                    throw new ModulusException(Errors.AppReferencedTwice, app.Reference, seen[fullPath]);
                app.Validate();
                resolved.Add(WithTargetFramework(reference, frameworks.GetValueOrDefault(fullPath), app.Reference));
            }
            catch (ModulusException e)
            {
                log.Report(Diagnostic.Of(e) with { Location = app.Location });
            }
        }
        Resolved = [.. resolved];
        return !Log.HasLoggedErrors;
    }

    /// <summary>
    /// A project with one TargetFramework builds as it is. One that lists TargetFrameworks is built
    /// for the framework the reference's SetTargetFramework names, else for its only one.
    /// </summary>
    private static ITaskItem WithTargetFramework(ITaskItem reference, ITaskItem? frameworks, string name)
    {
        var item = new TaskItem(reference);
        if (frameworks is null || !string.Equals(frameworks.GetMetadata("HasSingleTargetFramework"), "false", StringComparison.OrdinalIgnoreCase)) return item;
        var chosen = reference.GetMetadata("SetTargetFramework");
        if (chosen.Length == 0)
        {
            var listed = frameworks.GetMetadata("TargetFrameworks").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (listed.Length != 1) throw new ModulusException(Errors.AppTargetFrameworkAmbiguous, name, string.Join(", ", listed), listed.FirstOrDefault() ?? "net10.0");
            chosen = "TargetFramework=" + listed[0];
        }
        item.SetMetadata("AdditionalProperties", $"{item.GetMetadata("AdditionalProperties")};{chosen}");
        item.SetMetadata("UndefineProperties", string.Join(';', item.GetMetadata("UndefineProperties")
            .Split(';', StringSplitOptions.RemoveEmptyEntries).Where(p => !p.Trim().Equals("TargetFramework", StringComparison.OrdinalIgnoreCase))));
        return item;
    }

    private static StringComparer PathComparer => OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
}
