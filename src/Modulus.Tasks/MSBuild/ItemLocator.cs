using Microsoft.Build.Framework;
using Modulus.Diagnostics;
using Modulus.Publishing;

namespace Modulus.MSBuild;

/// <summary>Says where an item or property was declared, and gives errors raised while reading it that location.</summary>
internal sealed class ItemLocator(string projectFile, SourceLocation taskLocation)
{
    private readonly ProjectLines _lines = new();

    /// <summary>The item's file and line; the task's own location when the line cannot be found.</summary>
    public SourceLocation Of(ITaskItem item, string itemType)
    {
        var file = item.GetMetadata("DefiningProjectFullPath");
        if (string.IsNullOrEmpty(file)) file = projectFile;
        var line = _lines.OfItem(file, itemType, item.ItemSpec, item.GetMetadata);
        return line > 0 ? new SourceLocation(file, line) : taskLocation;
    }

    /// <summary>
    /// Every <paramref name="itemType"/> declaration as written (before MSBuild expands it) in the
    /// project file and in the files that defined <paramref name="items"/>.
    /// </summary>
    public IEnumerable<(string Include, SourceLocation Location)> Declarations(string itemType, IEnumerable<ITaskItem> items) =>
        items.Select(i => i.GetMetadata("DefiningProjectFullPath")).Where(f => !string.IsNullOrEmpty(f)).Prepend(projectFile).Distinct(StringComparer.Ordinal)
            .SelectMany(file => _lines.Includes(file, itemType).Select(d => (d.Include, new SourceLocation(file, d.Line))));

    /// <summary>The project's line setting <paramref name="property"/>; the task's own location when it is not in the project.</summary>
    public SourceLocation OfProperty(string property)
    {
        var line = _lines.OfProperty(projectFile, property);
        return line > 0 ? new SourceLocation(projectFile, line) : taskLocation;
    }

    /// <summary>
    /// The line of a ProjectReference of the project; the task's own location when unknown.
    /// Items a target copied from ProjectReference no longer say which file declared them, so
    /// the project file is searched.
    /// </summary>
    public SourceLocation OfProjectReference(ITaskItem item)
    {
        var line = _lines.OfItem(projectFile, "ProjectReference", item.ItemSpec, item.GetMetadata);
        return line > 0 ? new SourceLocation(projectFile, line) : taskLocation;
    }

    /// <summary>The project's line of the ProjectReference whose Include is <paramref name="include"/>; 0 when unknown.</summary>
    public int OfProjectReference(string include) => _lines.OfItem(projectFile, "ProjectReference", include, _ => string.Empty);

    public T Read<T>(ITaskItem item, string itemType, Func<T> read) => At(Of(item, itemType), read);

    public T ReadProperty<T>(string property, Func<T> read) => At(OfProperty(property), read);

    private static T At<T>(SourceLocation location, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (ModulusException e) when (e.File is null)
        {
            throw e.At(location.File, location.Line);
        }
    }
}
