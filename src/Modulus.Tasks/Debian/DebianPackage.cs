namespace Modulus.Debian;

/// <summary>Where an index came from: one suite and component of one mirror, and its Release date.</summary>
public sealed record IndexOrigin(string Mirror, string Suite, string Component, string ReleaseDate)
{
    public override string ToString() => $"{Suite}/{Component}";
}

/// <summary>
/// One binary package as a Packages index (or dpkg status) describes it. <see cref="Control"/>
/// keeps every field, which dpkg's status file needs verbatim.
/// </summary>
public sealed class DebianPackage
{
    public DebianPackage(ControlParagraph control, IndexOrigin? origin)
    {
        Control = control;
        Origin = origin;
        Name = control.Get("Package");
        Version = DebianVersion.TryParse(control["Version"], out var version)
            ? version
            : throw new FormatException($"package '{Name}' has no valid Version");
        Architecture = control.Get("Architecture");
        MultiArch = control["Multi-Arch"] ?? "no";
        Priority = control["Priority"] ?? "optional";
        Provides = Relation.ParseList(control["Provides"]);
        Filename = control["Filename"];
        Sha256 = control["SHA256"];
        Size = long.TryParse(control["Size"], out var size) ? size : 0;
        var source = control["Source"];
        // "Source: glibc (2.36-9)" names the source package and, when it differs, its version.
        Source = string.IsNullOrEmpty(source) ? Name : source.Split(' ')[0];
    }

    public ControlParagraph Control { get; }

    public IndexOrigin? Origin { get; }

    public string Name { get; }

    public DebianVersion Version { get; }

    public string Architecture { get; }

    public string MultiArch { get; }

    public string Priority { get; }

    // Parsed on first use: a full index has tens of thousands of packages and a resolution
    // looks at the relations of a few hundred.
    public IReadOnlyList<IReadOnlyList<Relation>> Depends => field ??= Relation.ParseField(Control["Depends"]);

    public IReadOnlyList<IReadOnlyList<Relation>> PreDepends => field ??= Relation.ParseField(Control["Pre-Depends"]);

    public IReadOnlyList<Relation> Provides { get; }

    public IReadOnlyList<Relation> Conflicts => field ??= Relation.ParseList(Control["Conflicts"]);

    public IReadOnlyList<Relation> Breaks => field ??= Relation.ParseList(Control["Breaks"]);

    /// <summary>The path of the .deb below the mirror root (pool/...).</summary>
    public string? Filename { get; }

    public string? Sha256 { get; }

    public long Size { get; }

    public string Source { get; }

    /// <summary>Pre-Depends first: they must be present before the package is even unpacked.</summary>
    public IEnumerable<IReadOnlyList<Relation>> AllDependencies => PreDepends.Concat(Depends);

    public override string ToString() => $"{Name} {Version} ({Architecture})";

    /// <summary>Whether <paramref name="value"/> is 64 lower-case hex digits: hashes name cache files, so nothing else may pass.</summary>
    public static bool IsSha256(string? value) =>
        value is { Length: 64 } && value.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    /// <summary>Reads every stanza of a Packages index (or dpkg status file) that names a package and version.</summary>
    public static IReadOnlyList<DebianPackage> ParseIndex(string text, IndexOrigin? origin) =>
        ControlParagraph.ParseAll(text)
            .Where(p => p["Package"] is not null && DebianVersion.TryParse(p["Version"], out _))
            .Select(p => new DebianPackage(p, origin))
            .ToList();
}
