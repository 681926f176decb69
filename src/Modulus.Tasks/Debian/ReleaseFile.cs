namespace Modulus.Debian;

/// <summary>A file a Release lists: its path below the suite's folder, size and SHA256.</summary>
public sealed record ReleaseEntry(string Path, long Size, string Sha256);

/// <summary>The fields of a suite's Release (the text inside a verified InRelease).</summary>
public sealed class ReleaseFile
{
    private ReleaseFile(ControlParagraph control, IReadOnlyDictionary<string, ReleaseEntry> files)
    {
        Control = control;
        Files = files;
    }

    public ControlParagraph Control { get; }

    public string Suite => Control["Suite"] ?? string.Empty;

    public string Codename => Control["Codename"] ?? string.Empty;

    public string Date => Control["Date"] ?? string.Empty;

    /// <summary>The Valid-Until time, or null when the Release has none (or an unreadable one).</summary>
    public DateTimeOffset? ValidUntil =>
        DateTimeOffset.TryParseExact(Control["Valid-Until"]?.Replace("UTC", "+00:00"), ["ddd, d MMM yyyy HH:mm:ss zzz", "ddd, dd MMM yyyy HH:mm:ss zzz"],
            System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var until)
            ? until
            : null;

    public IReadOnlyList<string> Components => (Control["Components"] ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public IReadOnlyList<string> Architectures => (Control["Architectures"] ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The SHA256 section, by path ("main/binary-amd64/Packages.xz").</summary>
    public IReadOnlyDictionary<string, ReleaseEntry> Files { get; }

    public static ReleaseFile Parse(string text)
    {
        var control = ControlParagraph.ParseAll(text).FirstOrDefault()
            ?? throw new FormatException("the Release file is empty");
        var files = new Dictionary<string, ReleaseEntry>(StringComparer.Ordinal);
        foreach (var line in (control["SHA256"] ?? string.Empty).Split('\n'))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 3 && long.TryParse(parts[1], out var size) && DebianPackage.IsSha256(parts[0].ToLowerInvariant()))
                files[parts[2]] = new ReleaseEntry(parts[2], size, parts[0].ToLowerInvariant());
        }
        return new ReleaseFile(control, files);
    }
}
