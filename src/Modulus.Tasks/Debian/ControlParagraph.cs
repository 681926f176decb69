namespace Modulus.Debian;

/// <summary>
/// One paragraph of a Debian control-format file (Packages, Release, dpkg status, deb822
/// sources): fields in their original order, names compared case-insensitively, continuation
/// lines kept with their newlines.
/// </summary>
public sealed class ControlParagraph
{
    private readonly List<KeyValuePair<string, string>> _fields;

    public ControlParagraph(IEnumerable<KeyValuePair<string, string>> fields) => _fields = fields.ToList();

    public IReadOnlyList<KeyValuePair<string, string>> Fields => _fields;

    public string? this[string name] =>
        _fields.FirstOrDefault(f => string.Equals(f.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    public string Get(string name) => this[name] ?? string.Empty;

    /// <summary>Parses every paragraph of <paramref name="text"/>; '#' comment lines are skipped, as deb822 allows.</summary>
    public static IReadOnlyList<ControlParagraph> ParseAll(string text)
    {
        var paragraphs = new List<ControlParagraph>();
        var fields = new List<KeyValuePair<string, string>>();
        string? name = null;
        var value = new System.Text.StringBuilder();

        void EndField()
        {
            if (name is not null) fields.Add(new(name, value.ToString().TrimEnd()));
            name = null;
            value.Clear();
        }

        void EndParagraph()
        {
            EndField();
            if (fields.Count > 0) paragraphs.Add(new ControlParagraph(fields));
            fields = [];
        }

        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (line.Trim().Length == 0)
            {
                EndParagraph();
                continue;
            }
            if (line[0] == '#') continue;
            if (line[0] is ' ' or '\t')
            {
                if (name is not null) value.Append('\n').Append(line);
                continue;
            }
            EndField();
            var colon = line.IndexOf(':');
            if (colon <= 0) continue;
            name = line[..colon].Trim();
            value.Append(line[(colon + 1)..].Trim());
        }
        EndParagraph();
        return paragraphs;
    }

    /// <summary>Writes the paragraph back in control format (without the blank separator line).</summary>
    public string Format()
    {
        var text = new System.Text.StringBuilder();
        foreach (var (key, value) in _fields)
        {
            text.Append(key).Append(':');
            if (value.Length > 0 && value[0] != '\n') text.Append(' ');
            text.Append(value).Append('\n');
        }
        return text.ToString();
    }
}
