using Microsoft.Build.Framework;
using Modulus.Diagnostics;
using Modulus.Publishing;

namespace Modulus.MSBuild;

/// <summary>
/// Checks the ProjectReference items that have a Destination before their projects are built or
/// published: each must be a .NET app, not a Modulus project, with a Destination, Mode and Owner
/// that can be used. Every bad reference is reported at its line, not only the first.
/// </summary>
public sealed class CheckModulusAppReferences : Microsoft.Build.Utilities.Task
{
    /// <summary>The project whose references these are; errors point into it.</summary>
    [Required]
    public string ProjectFile { get; set; } = string.Empty;

    /// <summary>The ProjectReference items with a Destination; metadata Destination, Mode, Owner.</summary>
    public ITaskItem[] References { get; set; } = [];

    /// <summary>The full paths of the referenced projects that are Modulus projects (they answered _ModulusIsImageProject).</summary>
    public ITaskItem[] ImageProjects { get; set; } = [];

    public override bool Execute()
    {
        var locator = new ItemLocator(ProjectFile, new SourceLocation(BuildEngine.ProjectFileOfTaskNode, BuildEngine.LineNumberOfTaskNode));
        var imageProjects = ImageProjects.Select(p => Path.GetFullPath(p.ItemSpec)).ToHashSet(StringComparer.Ordinal);
        foreach (var reference in References)
        {
            var app = AppMapping.ToPlanned(reference, [], locator);
            try
            {
                if (imageProjects.Contains(reference.GetMetadata("FullPath")))
                    throw new ModulusException(Errors.AppReferenceIsImageProject, app.Reference, app.Destination);
                app.Validate();
            }
            catch (ModulusException e)
            {
                Log.LogError(null, e.Code, null, app.Location.File, app.Location.Line, 0, 0, 0, e.Text);
            }
        }
        return !Log.HasLoggedErrors;
    }
}
