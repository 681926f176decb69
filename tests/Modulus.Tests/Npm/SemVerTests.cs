using Modulus.Diagnostics;
using Modulus.Npm;

namespace Modulus.Tests.Npm;

public class SemVerTests
{
    private static SemVersion V(string text) => SemVersion.TryParse(text, out var v) ? v : throw new ArgumentException(text);

    [TestCase("1.2.3", "1.2.4", Description = "patch")]
    [TestCase("1.2.3-alpha", "1.2.3", Description = "a pre-release sorts before its release")]
    [TestCase("1.2.3-alpha", "1.2.3-alpha.1", Description = "more identifiers sort after")]
    [TestCase("1.2.3-alpha.2", "1.2.3-alpha.10", Description = "numeric identifiers compare as numbers")]
    [TestCase("1.2.3-2", "1.2.3-alpha", Description = "numeric identifiers sort before words")]
    [TestCase("1.9.0", "1.10.0", Description = "minor as a number")]
    public void Versions_are_ordered_by_precedence(string lower, string higher)
    {
        V(lower).ShouldBeLessThan(V(higher));
        V(higher).ShouldBeGreaterThan(V(lower));
    }

    [Test]
    public void Build_metadata_and_a_leading_v_do_not_change_a_version()
    {
        V("v1.2.3+build.5").ShouldBe(V("1.2.3"));
        V("1.2.3+build.5").ToString().ShouldBe("1.2.3");
    }

    [TestCase("1.2")]
    [TestCase("1.2.3.4")]
    [TestCase("01a.2.3")]
    [TestCase("1.2.3-")]
    [TestCase("")]
    public void Malformed_versions_do_not_parse(string text) => SemVersion.TryParse(text, out _).ShouldBeFalse();

    [TestCase("1.2.3", "1.2.3", true, Description = "exact")]
    [TestCase("1.2.3", "1.2.4", false, Description = "exact, other")]
    [TestCase("^1.2.3", "1.9.9", true, Description = "caret keeps the major")]
    [TestCase("^1.2.3", "2.0.0", false, Description = "caret stops at the next major")]
    [TestCase("^1.2.3", "1.2.2", false, Description = "caret starts at the version")]
    [TestCase("^0.2.3", "0.2.9", true, Description = "caret on 0.x keeps the minor")]
    [TestCase("^0.2.3", "0.3.0", false, Description = "caret on 0.x stops at the next minor")]
    [TestCase("^0.0.3", "0.0.4", false, Description = "caret on 0.0.x is exact")]
    [TestCase("^1.x", "1.0.0", true, Description = "caret with x")]
    [TestCase("~1.2.3", "1.2.9", true, Description = "tilde keeps the minor")]
    [TestCase("~1.2.3", "1.3.0", false, Description = "tilde stops at the next minor")]
    [TestCase("~1", "1.9.0", true, Description = "tilde of a major")]
    [TestCase("1.x", "1.4.0", true, Description = "x-range")]
    [TestCase("1.x", "2.0.0", false, Description = "x-range upper bound")]
    [TestCase("1.2", "1.2.7", true, Description = "partial version is an x-range")]
    [TestCase("*", "9.9.9", true, Description = "star")]
    [TestCase("", "0.0.1", true, Description = "empty is any")]
    [TestCase(">=1.2", "1.2.0", true, Description = ">= partial")]
    [TestCase(">1.2", "1.2.9", false, Description = "> partial skips the whole line")]
    [TestCase(">1.2", "1.3.0", true, Description = "> partial, next line")]
    [TestCase("<=1.2", "1.2.9", true, Description = "<= partial includes the line")]
    [TestCase("<1.2", "1.1.9", true, Description = "< partial")]
    [TestCase("<1.2", "1.2.0", false, Description = "< partial excludes the line")]
    [TestCase(">=1.2.0 <2", "1.9.0", true, Description = "intersection")]
    [TestCase(">=1.2.0 <2", "2.0.0", false, Description = "intersection upper")]
    [TestCase(">= 1.2.0", "1.2.0", true, Description = "space after the operator")]
    [TestCase("^20.17.0 || >=22.9.0", "22.9.0", true, Description = "npm's own engines, second branch")]
    [TestCase("^20.17.0 || >=22.9.0", "21.0.0", false, Description = "npm's own engines, between branches")]
    [TestCase("^20.17.0 || >=22.9.0", "20.18.1", true, Description = "npm's own engines, first branch")]
    [TestCase("1.2.3 - 2.3.4", "2.3.4", true, Description = "hyphen includes its end")]
    [TestCase("1.2.3 - 2.3.4", "2.3.5", false, Description = "hyphen upper")]
    [TestCase("1.2 - 2.3", "2.3.9", true, Description = "hyphen with partial end takes the whole line")]
    [TestCase("1.2 - 2.3", "1.1.9", false, Description = "hyphen with partial start")]
    [TestCase("^1.2.3", "1.3.0-beta", false, Description = "pre-releases are excluded")]
    [TestCase(">=1.2.3-beta.1", "1.2.3-beta.2", true, Description = "a range naming a pre-release admits that release's pre-releases")]
    [TestCase(">=1.2.3-beta.1", "1.2.4-beta.1", false, Description = "but not other releases' pre-releases")]
    [TestCase("v1.2.3", "1.2.3", true, Description = "leading v")]
    public void Ranges_match_as_npm_matches(string range, string version, bool expected) =>
        SemVerRange.Parse(range).IsSatisfiedBy(V(version)).ShouldBe(expected);

    [Test]
    public void Pre_releases_match_when_asked_for() =>
        SemVerRange.Parse("^1.2.3").IsSatisfiedBy(V("1.3.0-beta"), includePrerelease: true).ShouldBeTrue();

    [Test]
    public void The_highest_matching_version_wins()
    {
        var versions = new[] { "18.20.1", "20.11.0", "20.19.2", "22.3.0", "23.0.0-rc.1" }.Select(V);
        SemVerRange.Parse("20").Highest(versions)!.ToString().ShouldBe("20.19.2");
        SemVerRange.Parse(">=18").Highest(versions)!.ToString().ShouldBe("22.3.0");
        SemVerRange.Parse("^24").Highest(versions).ShouldBeNull();
    }

    [TestCase("^1.2.3.4")]
    [TestCase(">=banana")]
    [TestCase("1.2.3 - ")]
    public void Malformed_ranges_are_errors_naming_the_range(string range)
    {
        var e = Should.Throw<ModulusException>(() => SemVerRange.Parse(range));
        e.Code.ShouldBe("MOD3104");
        e.Message.ShouldContain(range);
    }
}
