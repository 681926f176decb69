using Modulus.Diagnostics;

namespace Modulus.Debian;

/// <summary>
/// Chooses the packages to install, as apt does for a fresh install: for each dependency the
/// first alternative that is already present or can be installed, the newest version that
/// fits, a real package before a virtual one's providers. Choices are final (no backtracking);
/// a dependency that cannot be met, or a Conflicts/Breaks between chosen packages, fails with
/// the chain of dependencies that led to it.
/// </summary>
public sealed class DependencyResolver
{
    private readonly PackagePool _pool;
    private readonly IReadOnlyList<DebianPackage> _installed;
    private readonly Dictionary<string, DebianPackage> _chosen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _chainOf = new(StringComparer.Ordinal);
    private readonly List<DebianPackage> _order = [];

    private readonly IReadOnlySet<string> _lastResort;

    /// <param name="pool">What may be installed.</param>
    /// <param name="installed">What the base image already has (its dpkg status): kept, never installed again.</param>
    /// <param name="lastResort">Packages taken only when no other alternative of a dependency can be.</param>
    public DependencyResolver(PackagePool pool, IReadOnlyList<DebianPackage> installed, IReadOnlySet<string>? lastResort = null)
    {
        _pool = pool;
        _installed = installed;
        _lastResort = lastResort ?? new HashSet<string>();
    }

    /// <summary>
    /// On a merged-/usr system "usrmerge | usr-is-merged" must not take usrmerge, whose job is
    /// converting an unmerged system (and which pulls in perl): debootstrap avoids it the same way.
    /// </summary>
    public static IReadOnlySet<string> MergedUsrLastResort { get; } = new HashSet<string>(StringComparer.Ordinal) { "usrmerge" };

    /// <summary>The packages to install, each after the packages it depends on (cycles broken where they close).</summary>
    public IReadOnlyList<DebianPackage> Resolve(IEnumerable<Relation> requests)
    {
        foreach (var request in requests) Satisfy([request], []);
        return _order.ToList();
    }

    private void Satisfy(IReadOnlyList<Relation> alternatives, IReadOnlyList<string> chain)
    {
        if (alternatives.Any(IsMet)) return;
        var reasons = new List<string>();
        foreach (var relation in alternatives.OrderBy(a => _lastResort.Contains(a.Name)))
        {
            var candidate = Candidates(relation).FirstOrDefault(c => Conflict(c) is null);
            if (candidate is not null)
            {
                Install(candidate, chain);
                return;
            }
            reasons.Add(Explain(relation));
        }
        var wanted = string.Join(" | ", alternatives);
        var conflicting = alternatives.SelectMany(Candidates).Select(c => (Candidate: c, Conflict: Conflict(c))).FirstOrDefault(c => c.Conflict is not null);
        if (conflicting.Conflict is { } conflict)
        {
            var (other, why) = conflict;
            throw new ModulusException(Errors.DebianConflict,
                Path(chain, conflicting.Candidate.ToString()), Path(ChainOf(other), other.ToString()), why);
        }
        if (chain.Count == 0 && reasons.Count == 1 && _pool.Versions(alternatives[0].Name).Count == 0 && _pool.Providers(alternatives[0].Name).Count == 0)
            throw new ModulusException(Errors.DebianPackageNotFound, alternatives[0].Name, _pool.Architecture, "the configured suites");
        throw new ModulusException(Errors.DebianUnsatisfiable, Path(chain, wanted), string.Join("; ", reasons));
    }

    private void Install(DebianPackage package, IReadOnlyList<string> chain)
    {
        _chosen[package.Name] = package;
        var path = chain.Append(package.Name).ToList();
        _chainOf[package.Name] = string.Join(" -> ", path);
        foreach (var group in package.AllDependencies) Satisfy(group, path);
        _order.Add(package);
    }

    /// <summary>Met by a package already chosen or installed in the base (and not being replaced).</summary>
    private bool IsMet(Relation relation) =>
        _chosen.Values.Any(p => PackagePool.Satisfies(p, relation, _pool.Architecture))
        || _installed.Any(p => !_chosen.ContainsKey(p.Name) && PackagePool.Satisfies(p, relation, _pool.Architecture));

    /// <summary>Real packages of that name, newest first, then providers (ones already chosen first).</summary>
    private IEnumerable<DebianPackage> Candidates(Relation relation)
    {
        foreach (var package in _pool.Versions(relation.Name))
            if (PackagePool.Satisfies(package, relation, _pool.Architecture)) yield return package;
        var providers = _pool.Providers(relation.Name)
            .Where(p => PackagePool.ProvideSatisfies(p.Provided, relation) && PackagePool.Satisfies(p.Package, relation, _pool.Architecture))
            .Select(p => p.Package)
            .OrderBy(p => PriorityRank(p.Priority))
            .ThenBy(p => p.Name, StringComparer.Ordinal)
            .ThenByDescending(p => p.Version);
        foreach (var provider in providers) yield return provider;
    }

    /// <summary>Whether <paramref name="candidate"/> conflicts with (or breaks, or is broken by) something present.</summary>
    private (DebianPackage Other, string Why)? Conflict(DebianPackage candidate)
    {
        if (_chosen.TryGetValue(candidate.Name, out var same) && !ReferenceEquals(same, candidate))
            return (same, $"{candidate.Name} {same.Version} is already chosen");
        var present = _chosen.Values.Concat(_installed.Where(p => p.Name != candidate.Name && !_chosen.ContainsKey(p.Name)));
        foreach (var other in present)
        {
            if (other.Name == candidate.Name) continue;
            foreach (var (from, to, kind) in new[] { (candidate, other, "Conflicts"), (candidate, other, "Breaks"), (other, candidate, "Conflicts"), (other, candidate, "Breaks") })
            {
                var relations = kind == "Conflicts" ? from.Conflicts : from.Breaks;
                var hit = relations.FirstOrDefault(r => PackagePool.Satisfies(to, r, _pool.Architecture));
                if (hit is not null) return (other, $"{from.Name} {kind.ToLowerInvariant()} {hit}");
            }
        }
        return null;
    }

    private string Explain(Relation relation)
    {
        var versions = _pool.Versions(relation.Name);
        var providers = _pool.Providers(relation.Name);
        if (versions.Count == 0 && providers.Count == 0) return $"{relation.Name}: not in the {_pool.Architecture} index";
        var available = versions.Select(v => v.Version.Text)
            .Concat(providers.Select(p => $"{p.Package.Name} provides {p.Provided}"))
            .ToList();
        var fitting = Candidates(relation).ToList();
        if (fitting.Count > 0)
            return $"{relation}: {string.Join(", ", fitting.Select(f => f.ToString()))} cannot be installed ({Conflict(fitting[0])?.Why})";
        return $"{relation}: only {string.Join(", ", available)} available for {_pool.Architecture}";
    }

    private IReadOnlyList<string> ChainOf(DebianPackage package) =>
        _chainOf.TryGetValue(package.Name, out var chain) ? chain.Split(" -> ")[..^1] : ["(base image)"];

    private static string Path(IEnumerable<string> chain, string last) => string.Join(" -> ", chain.Append(last));

    private static int PriorityRank(string priority) => priority switch
    {
        "required" => 0,
        "important" => 1,
        "standard" => 2,
        "optional" => 3,
        _ => 4,
    };
}
