namespace Modulus.Debian;

/// <summary>One suite of one mirror to take packages from; <see cref="SignedBy"/> is a keyring path when apt names one.</summary>
public sealed record DebianSource(string Uri, string Suite, IReadOnlyList<string> Components, string? SignedBy = null)
{
    /// <summary>The mirror root without a trailing slash, so paths join with one '/'.</summary>
    public string BaseUri => Uri.TrimEnd('/');
}

/// <summary>
/// Reads the build machine's apt configuration: deb822 <c>sources.list.d/*.sources</c> and
/// one-line <c>sources.list</c> and <c>sources.list.d/*.list</c>. Only binary ("deb") entries
/// that are enabled count; source entries and disabled files are skipped.
/// </summary>
public static class AptSources
{
    /// <summary>Every binary source configured under <paramref name="aptRoot"/> (normally /etc/apt).</summary>
    public static IReadOnlyList<DebianSource> Read(string aptRoot)
    {
        var sources = new List<DebianSource>();
        var list = Path.Combine(aptRoot, "sources.list");
        if (File.Exists(list)) sources.AddRange(ParseOneLine(File.ReadAllText(list)));
        var folder = Path.Combine(aptRoot, "sources.list.d");
        if (Directory.Exists(folder))
        {
            foreach (var file in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
            {
                if (file.EndsWith(".list", StringComparison.Ordinal)) sources.AddRange(ParseOneLine(File.ReadAllText(file)));
                else if (file.EndsWith(".sources", StringComparison.Ordinal)) sources.AddRange(ParseDeb822(File.ReadAllText(file)));
            }
        }
        return sources;
    }

    /// <summary>
    /// The sources for <paramref name="suite"/>: entries of that suite and of its updates and
    /// security suites ("bookworm-updates", "bookworm-security"), as apt would use them together.
    /// </summary>
    public static IReadOnlyList<DebianSource> ForSuite(IEnumerable<DebianSource> sources, string suite) =>
        sources.Where(s => s.Suite == suite || s.Suite == suite + "-updates" || s.Suite == suite + "-security")
            .Distinct(SourceComparer.Instance)
            .ToList();

    public static IEnumerable<DebianSource> ParseDeb822(string text)
    {
        foreach (var paragraph in ControlParagraph.ParseAll(text))
        {
            if (string.Equals(paragraph["Enabled"], "no", StringComparison.OrdinalIgnoreCase)) continue;
            if (!Words(paragraph["Types"]).Contains("deb")) continue;
            var components = Words(paragraph["Components"]);
            foreach (var uri in Words(paragraph["URIs"]))
                foreach (var suite in Words(paragraph["Suites"]))
                    yield return new DebianSource(uri, suite, components, KeyringPath(paragraph["Signed-By"]));
        }
    }

    public static IEnumerable<DebianSource> ParseOneLine(string text)
    {
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.Split('#')[0].Trim();
            if (!line.StartsWith("deb ", StringComparison.Ordinal) && !line.StartsWith("deb\t", StringComparison.Ordinal)) continue;
            line = line[4..].Trim();
            string? signedBy = null;
            if (line.StartsWith('['))
            {
                var end = line.IndexOf(']');
                if (end < 0) continue;
                foreach (var option in line[1..end].Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    if (option.StartsWith("signed-by=", StringComparison.Ordinal)) signedBy = KeyringPath(option["signed-by=".Length..]);
                line = line[(end + 1)..].Trim();
            }
            var words = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length < 2) continue;
            yield return new DebianSource(words[0], words[1], words[2..], signedBy);
        }
    }

    private static string[] Words(string? value) =>
        (value ?? string.Empty).Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Signed-By may hold a path or an inline key block; only a path can be used as a keyring.</summary>
    private static string? KeyringPath(string? value) =>
        value is not null && value.TrimStart().StartsWith('/') && !value.Contains('\n') ? value.Trim() : null;

    private sealed class SourceComparer : IEqualityComparer<DebianSource>
    {
        public static readonly SourceComparer Instance = new();

        public bool Equals(DebianSource? x, DebianSource? y) => x?.BaseUri == y?.BaseUri && x?.Suite == y?.Suite;

        public int GetHashCode(DebianSource obj) => HashCode.Combine(obj.BaseUri, obj.Suite);
    }
}
