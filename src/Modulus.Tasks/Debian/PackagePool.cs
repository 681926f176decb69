namespace Modulus.Debian;

/// <summary>
/// The packages a resolution may choose from, for one native architecture: by name (newest
/// first) and by the virtual names they provide. Packages of other architectures are left out,
/// except Architecture: all, which serves every architecture.
/// </summary>
public sealed class PackagePool
{
    private readonly Dictionary<string, List<DebianPackage>> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(DebianPackage Package, Relation Provided)>> _providers = new(StringComparer.Ordinal);

    public PackagePool(IEnumerable<DebianPackage> packages, string architecture)
    {
        Architecture = architecture;
        foreach (var package in packages)
        {
            if (package.Architecture != architecture && package.Architecture != "all") continue;
            var versions = _byName.TryGetValue(package.Name, out var list) ? list : _byName[package.Name] = [];
            // The same version in two suites (a point release and its updates) is one package: keep the first.
            if (versions.Any(v => v.Version.Equals(package.Version))) continue;
            versions.Add(package);
            foreach (var provided in package.Provides)
                (_providers.TryGetValue(provided.Name, out var p) ? p : _providers[provided.Name] = []).Add((package, provided));
        }
        foreach (var versions in _byName.Values) versions.Sort((a, b) => b.Version.CompareTo(a.Version));
    }

    public string Architecture { get; }

    /// <summary>Every version of a real package, newest first.</summary>
    public IReadOnlyList<DebianPackage> Versions(string name) =>
        _byName.TryGetValue(name, out var list) ? list : [];

    /// <summary>The packages providing <paramref name="name"/>, with the Provides relation that does it.</summary>
    public IReadOnlyList<(DebianPackage Package, Relation Provided)> Providers(string name) =>
        _providers.TryGetValue(name, out var list) ? list : [];

    /// <summary>The newest version of each package of Priority: required: debootstrap's minbase set, without apt.</summary>
    public IEnumerable<DebianPackage> Required() =>
        _byName.Values.Select(v => v[0]).Where(p => p.Priority == "required").OrderBy(p => p.Name, StringComparer.Ordinal);

    /// <summary>Whether <paramref name="package"/> satisfies <paramref name="relation"/>, by name or through Provides.</summary>
    public static bool Satisfies(DebianPackage package, Relation relation, string nativeArchitecture)
    {
        if (!ArchitectureMatches(package, relation, nativeArchitecture)) return false;
        if (package.Name == relation.Name)
            return relation.Constraint is null || relation.Constraint.IsSatisfiedBy(package.Version);
        return package.Provides.Any(p => ProvideSatisfies(p, relation));
    }

    /// <summary>An unversioned Provides satisfies only unversioned relations (policy 7.5); a versioned one is checked as "=".</summary>
    public static bool ProvideSatisfies(Relation provided, Relation relation) =>
        provided.Name == relation.Name
        && (relation.Constraint is null
            || (provided.Constraint is { Operator: "=" } exact && relation.Constraint.IsSatisfiedBy(exact.Version)));

    /// <summary>
    /// A relation without qualifier or with ":native" wants the native architecture (or all);
    /// ":any" is satisfied by any architecture; another named architecture is never present here.
    /// </summary>
    private static bool ArchitectureMatches(DebianPackage package, Relation relation, string native) => relation.ArchQualifier switch
    {
        null or "native" or "any" => package.Architecture == native || package.Architecture == "all",
        var arch => package.Architecture == arch,
    };
}
