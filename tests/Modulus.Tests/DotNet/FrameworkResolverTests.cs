using Modulus.DotNet;

namespace Modulus.Tests.DotNet;

/// <summary>The host's roll-forward rules, with the cases of its framework-version-resolution design.</summary>
public class FrameworkResolverTests
{
    [TestCase("10.0.0", "Minor", "10.0.0,10.0.3,10.1.0,11.0.0", "10.0.3", Description = "the requested minor is there: its latest patch")]
    [TestCase("10.0.0", "Minor", "9.0.9,10.1.0,10.1.2,10.2.0", "10.1.2", Description = "the requested minor is missing: the lowest higher minor, at its latest patch")]
    [TestCase("10.0.0", "Minor", "9.0.9,11.0.0", null, Description = "Minor never changes the major version")]
    [TestCase("10.0.0", "LatestPatch", "10.1.0", null, Description = "LatestPatch keeps the minor version")]
    [TestCase("10.0.2", "LatestPatch", "10.0.1,10.0.5", "10.0.5", Description = "never below the requested version")]
    [TestCase("10.0.0", "Major", "11.0.0,11.0.4,11.2.0,12.0.0", "11.0.4", Description = "Major: the lowest higher major, lowest minor, latest patch")]
    [TestCase("10.0.0", "LatestMinor", "10.0.0,10.2.0,10.2.1", "10.2.1", Description = "LatestMinor: the highest minor even if the requested one is there")]
    [TestCase("10.0.0", "LatestMajor", "10.0.0,11.0.0,12.1.0", "12.1.0", Description = "LatestMajor: the highest of all")]
    [TestCase("10.0.0", "Disable", "10.0.1", null, Description = "Disable: the exact version only")]
    [TestCase("10.0.0", "Minor", "10.0.1-preview.1,10.1.0", "10.1.0", Description = "a release prefers a release over a closer pre-release")]
    [TestCase("10.0.0", "Minor", "10.0.0-rc.2,10.0.1-preview.1", "10.0.1-preview.1", Description = "a pre-release only when no release fits, and never below the request")]
    [TestCase("10.0.0-rc.1", "Minor", "10.0.0-rc.1,10.0.0-rc.2", "10.0.0-rc.1", Description = "a chosen pre-release does not roll to a later one")]
    [TestCase("10.0.0", "Minor", "", null, Description = "nothing installed")]
    public void Resolves_as_the_host_does(string wanted, string policy, string available, string? expected)
    {
        FrameworkVersion.TryParse(wanted, out var version).ShouldBeTrue();
        FrameworkResolver.TryParsePolicy(policy, out var rollForward).ShouldBeTrue();
        var versions = available.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(v => FrameworkVersion.TryParse(v, out var p) ? p : throw new FormatException(v));

        FrameworkResolver.Resolve(version, rollForward, versions)?.ToString().ShouldBe(expected);
        if (expected is null) FrameworkResolver.Resolve(version, rollForward, versions).ShouldBeNull();
    }

    [Test]
    public void Versions_order_as_SemVer_2()
    {
        string[] ordered = ["9.0.10", "10.0.0-preview.2", "10.0.0-preview.10", "10.0.0-rc.1", "10.0.0", "10.0.1", "10.1.0"];
        var parsed = ordered.Reverse().Select(v => FrameworkVersion.TryParse(v, out var p) ? p : throw new FormatException(v)).Order();

        parsed.Select(v => v.ToString()).ShouldBe(ordered);
    }

    [TestCase("10.0")]
    [TestCase("10.0.x")]
    [TestCase("10.0.0-")]
    public void A_version_that_is_not_three_numbers_does_not_parse(string text) => FrameworkVersion.TryParse(text, out _).ShouldBeFalse();

    [Test]
    public void Policy_names_are_case_insensitive_and_unknown_ones_are_refused()
    {
        FrameworkResolver.TryParsePolicy("latestmajor", out var policy).ShouldBeTrue();
        policy.ShouldBe(RollForward.LatestMajor);
        FrameworkResolver.TryParsePolicy(null, out policy).ShouldBeTrue();
        policy.ShouldBe(RollForward.Minor);
        FrameworkResolver.TryParsePolicy("Sometimes", out _).ShouldBeFalse();
        FrameworkResolver.TryParsePolicy("7", out _).ShouldBeFalse();
    }
}
