using Microsoft.Build.Framework;
using Modulus.Diagnostics;

namespace Modulus.MSBuild;

/// <summary>Says where an item or property was declared, and gives errors raised while reading it that location.</summary>
/// <param name="projectFile">The project being published.</param>
/// <param name="taskLocation">The task's own line in Sdk.targets: where an item whose line cannot be found is reported.</param>
/// <param name="globalProperties">MSBuild's global properties of this build (`-p:` on the command line).</param>
/// <param name="errors">
/// Where errors raised while reading go, each at its declaration, so that every bad input is
/// reported and the reading goes on with a placeholder; without it the first error is thrown.
/// </param>
internal sealed class ItemLocator(string projectFile, SourceLocation taskLocation, IReadOnlyDictionary<string, string>? globalProperties = null,
    InputErrors? errors = null)
{
    /// <summary>
    /// How a location names a property set on the command line: "-p:NAME" in place of a file.
    /// <see cref="Printable"/> turns it into what MSBuild prints for its own command-line errors.
    /// </summary>
    private const string CommandLinePrefix = "-p:";

    private readonly ProjectLines _lines = new();
    private readonly Dictionary<string, string> _global = new(globalProperties ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase);

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

    /// <summary>
    /// Where <paramref name="property"/>'s value comes from: the command line when it is a global
    /// property (which no project assignment overrides), else the project's line that sets it,
    /// else the project file itself (a default, or a value from an imported file such as
    /// Directory.Build.props): never the SDK's targets, which the user does not edit.
    /// </summary>
    public SourceLocation OfProperty(string property)
    {
        if (_global.ContainsKey(property)) return new SourceLocation(CommandLinePrefix + property);
        var line = _lines.OfProperty(projectFile, property);
        return line > 0 ? new SourceLocation(projectFile, line) : new SourceLocation(projectFile);
    }

    /// <summary>
    /// The file and text to log for a diagnostic at <paramref name="file"/>: a property from the
    /// command line is logged at "MSBUILD" (MSBuild prints "MSBUILD : error ...", as for its own
    /// command-line errors), with a note naming the property.
    /// </summary>
    public static (string? File, string Text) Printable(string? file, string text) =>
        file is not null && file.StartsWith(CommandLinePrefix, StringComparison.Ordinal)
            ? ("MSBUILD", $"{text} ({file} was set on the command line)")
            : (file, text);

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

    public T Read<T>(ITaskItem item, string itemType, Func<T> read) => At(Of(item, itemType), read, default!);

    public T ReadProperty<T>(string property, Func<T> read) => At(OfProperty(property), read, default!);

    public T ReadProperty<T>(string property, Func<T> read, T placeholder) => At(OfProperty(property), read, placeholder);

    /// <summary>Runs <paramref name="read"/>, giving an error without a location the declaration's; with an error collector, records it.</summary>
    public T At<T>(SourceLocation location, Func<T> read) => At(location, read, default!);

    /// <summary>
    /// Runs <paramref name="read"/>, giving an error without a location the declaration's; with an
    /// error collector, records the error and returns <paramref name="placeholder"/>.
    /// </summary>
    public T At<T>(SourceLocation location, Func<T> read, T placeholder)
    {
        if (errors is not null) return errors.Try(location, read, placeholder);
        try
        {
            return read();
        }
        catch (ModulusException e) when (e.File is null)
        {
            throw e.At(location.File, location.Line);
        }
    }

    /// <summary>Runs a check at <paramref name="location"/>: its error is recorded, or thrown when there is no collector.</summary>
    public void Check(SourceLocation location, Action check) =>
        At(location, () =>
        {
            check();
            return true;
        });

    /// <summary>How many errors have been recorded: a value read while it stayed the same was made from good inputs.</summary>
    public int ErrorCount => errors?.All.Count ?? 0;
}
