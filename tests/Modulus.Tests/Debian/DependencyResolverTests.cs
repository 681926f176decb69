using Modulus.Debian;
using Modulus.Diagnostics;

namespace Modulus.Tests.Debian;

public class DependencyResolverTests
{
    /// <summary>Builds a pool from short stanzas: "name version [Field: value]...", one per string.</summary>
    private static PackagePool Pool(params string[] stanzas) =>
        new(DebianPackage.ParseIndex(string.Join("\n\n", stanzas.Select(Stanza)), new IndexOrigin("http://fixture.invalid", "bookworm", "main", "today")), "amd64");

    private static string Stanza(string spec)
    {
        var parts = spec.Split(';', StringSplitOptions.TrimEntries);
        var head = parts[0].Split(' ');
        var fields = parts.Skip(1).Where(p => p.Length > 0).ToList();
        if (!fields.Any(f => f.StartsWith("Architecture:", StringComparison.Ordinal))) fields.Add("Architecture: amd64");
        return $"Package: {head[0]}\nVersion: {head[1]}\n{string.Join("\n", fields)}\n";
    }

    private static IReadOnlyList<string> Resolve(PackagePool pool, params string[] requests) =>
        new DependencyResolver(pool, []).Resolve(requests.Select(Relation.Parse)).Select(p => $"{p.Name}={p.Version}").ToList();

    [Test]
    public void Dependencies_come_before_their_dependents_and_the_newest_version_wins()
    {
        var pool = Pool("app 1.0; Depends: libx (>= 1.1)", "libx 1.0", "libx 1.2", "libx 1.1");
        Resolve(pool, "app").ShouldBe(["libx=1.2", "app=1.0"]);
    }

    [Test]
    public void A_version_relation_on_the_request_picks_an_older_version()
    {
        var pool = Pool("libx 1.0", "libx 2.0");
        Resolve(pool, "libx (<< 2)").ShouldBe(["libx=1.0"]);
    }

    [Test]
    public void The_first_installable_alternative_is_taken()
    {
        var pool = Pool("app 1.0; Depends: missing | libb | libc", "libb 1.0", "libc 1.0");
        Resolve(pool, "app").ShouldBe(["libb=1.0", "app=1.0"]);
    }

    [Test]
    public void An_alternative_already_chosen_satisfies_the_group()
    {
        var pool = Pool("app 1.0; Depends: libc, libb | libc", "libb 1.0", "libc 1.0");
        Resolve(pool, "app").ShouldBe(["libc=1.0", "app=1.0"]);
    }

    [Test]
    public void A_virtual_package_is_satisfied_through_Provides()
    {
        var pool = Pool("app 1.0; Depends: awk", "mawk 1.3; Provides: awk; Priority: required", "gawk 5.2; Provides: awk; Priority: optional");
        Resolve(pool, "app").ShouldBe(["mawk=1.3", "app=1.0"], "the provider of highest priority is preferred");
    }

    [Test]
    public void A_versioned_dependency_needs_a_versioned_Provides()
    {
        var pool = Pool("app 1.0; Depends: api (>= 2)", "old 1.0; Provides: api", "new 1.0; Provides: api (= 2.1)");
        Resolve(pool, "app").ShouldBe(["new=1.0", "app=1.0"]);
    }

    [Test]
    public void Architecture_all_and_qualifiers_are_honoured()
    {
        var pool = Pool("app 1.0; Depends: data, perl:any, tool:native", "data 1.0; Architecture: all", "perl 5.36", "tool 1.0", "foreign 1.0; Architecture: arm64");
        Resolve(pool, "app").ShouldBe(["data=1.0", "perl=5.36", "tool=1.0", "app=1.0"]);
        Should.Throw<ModulusException>(() => Resolve(pool, "foreign")).Code.ShouldBe("MOD3008");
    }

    [Test]
    public void Pre_Depends_are_installed_first()
    {
        var pool = Pool("app 1.0; Depends: b; Pre-Depends: a", "a 1.0", "b 1.0");
        Resolve(pool, "app").ShouldBe(["a=1.0", "b=1.0", "app=1.0"]);
    }

    [Test]
    public void Dependency_cycles_resolve_once()
    {
        var pool = Pool("a 1.0; Depends: b", "b 1.0; Depends: c", "c 1.0; Depends: a");
        Resolve(pool, "a").ShouldBe(["c=1.0", "b=1.0", "a=1.0"]);
    }

    [Test]
    public void Packages_already_in_the_base_are_not_installed_again()
    {
        var pool = Pool("app 1.0; Depends: libc6 (>= 2.36)", "libc6 2.36-9");
        var installed = DebianPackage.ParseIndex("Package: libc6\nStatus: install ok installed\nVersion: 2.36-9\nArchitecture: amd64\n", null);
        new DependencyResolver(pool, installed).Resolve([Relation.Parse("app")]).Select(p => p.Name).ShouldBe(["app"]);
    }

    [Test]
    public void An_unsatisfiable_version_shows_the_chain_and_what_is_available()
    {
        var pool = Pool("a 1.0; Depends: b", "b 1.0; Depends: c (>= 2)", "c 1.0");
        var error = Should.Throw<ModulusException>(() => Resolve(pool, "a"));
        error.Code.ShouldBe("MOD3009");
        error.Message.ShouldContain("a -> b -> c (>= 2)");
        error.Message.ShouldContain("only 1.0 available");
    }

    [Test]
    public void An_unknown_requested_package_is_named()
    {
        var error = Should.Throw<ModulusException>(() => Resolve(Pool("a 1.0"), "nosuch"));
        error.Code.ShouldBe("MOD3008");
        error.Message.ShouldContain("'nosuch'");
    }

    [Test]
    public void Conflicts_between_chosen_packages_fail_with_both_chains()
    {
        var pool = Pool("a 1.0; Depends: x", "b 1.0; Depends: y", "x 1.0; Conflicts: y", "y 1.0");
        var error = Should.Throw<ModulusException>(() => Resolve(pool, "a", "b"));
        error.Code.ShouldBe("MOD3010");
        error.Message.ShouldContain("b -> y 1.0");
        error.Message.ShouldContain("a -> x 1.0");
        error.Message.ShouldContain("x conflicts y");
    }

    [Test]
    public void Breaks_with_a_version_only_hit_matching_versions()
    {
        var pool = Pool("a 1.0; Breaks: b (<< 2)", "b 2.0");
        Resolve(pool, "b", "a").ShouldBe(["b=2.0", "a=1.0"]);
        var old = Pool("a 1.0; Breaks: b (<< 2)", "b 1.0");
        Should.Throw<ModulusException>(() => Resolve(old, "b", "a")).Code.ShouldBe("MOD3010");
    }

    [Test]
    public void A_conflicting_alternative_is_skipped_for_the_next()
    {
        var pool = Pool("a 1.0; Depends: x | y", "x 1.0; Conflicts: b", "y 1.0", "b 1.0");
        Resolve(pool, "b", "a").ShouldBe(["b=1.0", "y=1.0", "a=1.0"]);
    }

    [Test]
    public void A_last_resort_alternative_is_taken_only_when_nothing_else_fits()
    {
        var pool = Pool("init-system-helpers 1.65; Depends: usrmerge | usr-is-merged", "usrmerge 35", "usr-is-merged 35");
        new DependencyResolver(pool, [], DependencyResolver.MergedUsrLastResort).Resolve([Relation.Parse("init-system-helpers")])
            .Select(p => p.Name).ShouldBe(["usr-is-merged", "init-system-helpers"]);
        var withoutOther = Pool("init-system-helpers 1.65; Depends: usrmerge | usr-is-merged", "usrmerge 35");
        new DependencyResolver(withoutOther, [], DependencyResolver.MergedUsrLastResort).Resolve([Relation.Parse("init-system-helpers")])
            .Select(p => p.Name).ShouldBe(["usrmerge", "init-system-helpers"]);
    }

    [Test]
    public void The_minimal_system_is_every_required_package()
    {
        var pool = Pool("dpkg 1.21; Priority: required", "bash 5.2; Priority: required", "curl 7.88; Priority: optional");
        pool.Required().Select(p => p.Name).ShouldBe(["bash", "dpkg"]);
    }
}
