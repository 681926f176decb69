using Modulus.Debian;
using Modulus.Diagnostics;

namespace Modulus.Tests.Debian;

/// <summary>dpkg's path-exclude/path-include semantics: fnmatch without FNM_PATHNAME, the last match wins, folders kept for includes.</summary>
public class DpkgPathFilterTests
{
    [TestCase("/usr/share/doc/*", "/usr/share/doc/bash/README", true, Description = "'*' crosses '/'")]
    [TestCase("/usr/share/doc/*", "/usr/share/doc", false, Description = "'*' needs the '/' before it")]
    [TestCase("/usr/share/doc/*/copyright", "/usr/share/doc/a/b/copyright", true, Description = "a '*' in the middle spans folders too")]
    [TestCase("/etc/*", "/etc/.hidden", true, Description = "a leading dot is not special")]
    [TestCase("/usr?share", "/usr/share", true, Description = "'?' matches '/'")]
    [TestCase("/lib[0-9]*", "/lib64/x", true, Description = "a range")]
    [TestCase("/lib[!0-9]*", "/lib64/x", false, Description = "a negated range")]
    [TestCase("/lib[^0-9]*", "/libx/y", true, Description = "'^' negates as '!' does")]
    [TestCase("/a[]]b", "/a]b", true, Description = "']' first in a set is literal")]
    [TestCase("/a[[:digit:]]", "/a7", true, Description = "a POSIX class")]
    [TestCase("/a\\*", "/a*", true, Description = "a backslash makes '*' literal")]
    [TestCase("/a\\*", "/ab", false, Description = "an escaped '*' is no wildcard")]
    [TestCase("/lib[z-a]*", "/libz", false, Description = "a reversed range matches nothing, as in glibc")]
    [TestCase("/lib[z-a0-9]*", "/lib6", true, Description = "a reversed range leaves the rest of its set alone")]
    [TestCase("/a[b", "/a[b", true, Description = "an unclosed '[' is literal")]
    [TestCase("/a.b", "/axb", false, Description = "'.' is literal")]
    [TestCase("/usr/share/locale/locale.alias", "/usr/share/locale/locale.alias", true, Description = "no wildcard: the path itself")]
    public void A_pattern_matches_as_fnmatch_without_flags(string pattern, string path, bool matches) =>
        new DpkgPathFilter([DpkgPathRule.Exclude(pattern)]).Skips(path, isFolderOrSymlink: false).ShouldBe(matches);

    [Test]
    public void The_last_matching_rule_decides()
    {
        var filter = new DpkgPathFilter([
            DpkgPathRule.Exclude("/usr/share/doc/*"),
            DpkgPathRule.Include("/usr/share/doc/*/copyright"),
            DpkgPathRule.Exclude("/usr/share/doc/secret/*"),
        ]);

        filter.Skips("/usr/share/doc/bash/changelog.gz", false).ShouldBeTrue();
        filter.Skips("/usr/share/doc/bash/copyright", false).ShouldBeFalse("the include comes after the exclude");
        filter.Skips("/usr/share/doc/secret/copyright", false).ShouldBeTrue("the later exclude wins again");
        filter.Skips("/usr/bin/bash", false).ShouldBeFalse("no rule matches");
    }

    [Test]
    public void An_excluded_folder_or_symlink_stays_when_an_include_pattern_starts_with_it()
    {
        var filter = new DpkgPathFilter(DpkgPathFilter.Slim);

        filter.Skips("/usr/share/doc/bash", isFolderOrSymlink: true).ShouldBeFalse("it may hold a copyright file");
        filter.Skips("/usr/share/doc/libfoo1", isFolderOrSymlink: true).ShouldBeFalse("Debian links doc folders to each other");
        filter.Skips("/usr/share/doc/bash/examples", isFolderOrSymlink: true).ShouldBeFalse("dpkg compares only the part before the wildcard");
        filter.Skips("/usr/share/man/man1", isFolderOrSymlink: true).ShouldBeTrue("no include pattern lies below /usr/share/man");
        filter.Skips("/usr/share/doc/bash/README", isFolderOrSymlink: false).ShouldBeTrue("files get no such exception");
    }

    [Test]
    public void Debians_slim_rules_leave_out_documentation_but_keep_copyrights_and_locale_tables()
    {
        var filter = new DpkgPathFilter(DpkgPathFilter.Slim);

        filter.Skips("/usr/share/man/man1/ls.1.gz", false).ShouldBeTrue();
        filter.Skips("/usr/share/info/coreutils.info.gz", false).ShouldBeTrue();
        filter.Skips("/usr/share/locale/de/LC_MESSAGES/coreutils.mo", false).ShouldBeTrue();
        filter.Skips("/usr/share/lintian/overrides/bash", false).ShouldBeTrue();
        filter.Skips("/usr/share/doc/coreutils/copyright", false).ShouldBeFalse();
        filter.Skips("/usr/share/locale/locale.alias", false).ShouldBeFalse();
        filter.Skips("/usr/share/zoneinfo/Europe/Paris", false).ShouldBeFalse();
    }

    [Test]
    public void The_configuration_file_holds_one_dpkg_line_per_rule_in_order()
    {
        var text = new DpkgPathFilter([DpkgPathRule.Exclude("/usr/share/doc/*"), DpkgPathRule.Include("/usr/share/doc/*/copyright")]).ToConfiguration();

        text.ShouldEndWith("\npath-exclude /usr/share/doc/*\npath-include /usr/share/doc/*/copyright\n");
        text.Split('\n').Where(l => l.Length > 0).ShouldAllBe(l => l.StartsWith('#') || l.StartsWith("path-"));
    }

    [TestCase("usr/share/doc/*", Description = "relative")]
    [TestCase("*.mo", Description = "no folder at all")]
    [TestCase("", Description = "empty")]
    [TestCase("/usr/share/doc/*\npath-exclude /usr/*", Description = "a line break would add a second rule to dpkg's configuration")]
    public void A_pattern_that_is_not_absolute_or_not_one_line_fails_with_MOD3120(string pattern)
    {
        var error = Should.Throw<ModulusException>(() => DpkgPathRule.Include(pattern));

        error.Code.ShouldBe("MOD3120");
        error.Message.ShouldContain("ModulusDebianPathInclude");
    }
}
