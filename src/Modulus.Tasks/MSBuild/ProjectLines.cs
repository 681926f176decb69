using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace Modulus.MSBuild;

/// <summary>
/// Finds the line of an item or property in a project file. MSBuild does not tell a task where an
/// item was declared, only in which file (DefiningProjectFullPath), so the file is read again.
/// </summary>
internal sealed class ProjectLines
{
    private readonly Dictionary<string, XDocument?> _documents = new(StringComparer.Ordinal);

    /// <summary>
    /// The line of the <paramref name="itemType"/> element whose Include lists <paramref name="include"/>;
    /// among several, the one whose metadata all equal the item's (<paramref name="metadata"/>). 0 when unknown.
    /// </summary>
    public int OfItem(string file, string itemType, string include, Func<string, string> metadata)
    {
        var elements = Elements(file, itemType).Where(e => e.Attribute("Include") is not null).ToArray();
        var named = elements.Where(e => e.Attribute("Include")!.Value.Split(';').Any(part => Unescape(part.Trim()) == include)).ToArray();
        if (named.Length == 1) return LineOf(named[0]);
        if (named.Length > 1) return LineOf(named.FirstOrDefault(e => MetadataMatches(e, metadata)));
        // An item from a glob no longer shows its Include: take the one glob whose metadata match.
        var globs = elements.Where(e => e.Attribute("Include")!.Value.IndexOfAny(['*', '?']) >= 0 && MetadataMatches(e, metadata)).ToArray();
        return globs.Length == 1 ? LineOf(globs[0]) : 0;
    }

    /// <summary>An Include as the task sees it: MSBuild turns %XX escapes (%2A for a literal '*') into their characters.</summary>
    private static string Unescape(string value) =>
        Regex.Replace(value, "%([0-9A-Fa-f]{2})", m => ((char)Convert.ToInt32(m.Groups[1].Value, 16)).ToString());

    /// <summary>Metadata written as attributes or child elements; values with MSBuild expressions cannot be compared and are skipped.</summary>
    private static bool MetadataMatches(XElement element, Func<string, string> metadata) =>
        element.Attributes().Where(a => a.Name.LocalName is not ("Include" or "Exclude" or "Condition" or "KeepMetadata" or "RemoveMetadata"))
            .Select(a => (a.Name.LocalName, a.Value))
            .Concat(element.Elements().Select(e => (e.Name.LocalName, e.Value)))
            .Where(pair => !pair.Value.Contains('$') && !pair.Value.Contains('%') && !pair.Value.Contains('@'))
            .All(pair => metadata(pair.LocalName) == pair.Value);

    /// <summary>The Include attribute of every <paramref name="itemType"/> element in <paramref name="file"/>, as written, with its line.</summary>
    public IEnumerable<(string Include, int Line)> Includes(string file, string itemType) =>
        Elements(file, itemType).Where(e => e.Attribute("Include") is not null).Select(e => (e.Attribute("Include")!.Value, LineOf(e)));

    /// <summary>The line of the last <paramref name="property"/> element (the one that wins); 0 when unknown.</summary>
    public int OfProperty(string file, string property) => LineOf(Elements(file, property).LastOrDefault());

    private IEnumerable<XElement> Elements(string file, string name)
    {
        if (!_documents.TryGetValue(file, out var document))
        {
            document = Load(file);
            _documents[file] = document;
        }
        return document?.Descendants().Where(e => e.Name.LocalName == name) ?? [];
    }

    private static XDocument? Load(string file)
    {
        try
        {
            return File.Exists(file) ? XDocument.Load(file, LoadOptions.SetLineInfo) : null;
        }
        catch (Exception e) when (e is XmlException or IOException or UnauthorizedAccessException)
        {
            // MSBuild already read this file; if it cannot be read again, errors fall back to the task's location.
            return null;
        }
    }

    private static int LineOf(XElement? element) => element is IXmlLineInfo info && info.HasLineInfo() ? info.LineNumber : 0;
}
