using Modulus.Debian;

namespace Modulus.Tests.Debian;

public class DebianVersionTests
{
    // Each case: lower, higher, and why the order is so (policy 5.6.12 and dpkg's own tests).
    private static readonly object[] Ordered =
    [
        new object[] { "1.0", "1.1", "numeric parts compare as numbers" },
        new object[] { "1.9", "1.10", "9 < 10 numerically, not as text" },
        new object[] { "1.0~rc1", "1.0", "a tilde sorts before the end of the part" },
        new object[] { "1.0~~", "1.0~~a", "end of part sorts after tilde but before a letter" },
        new object[] { "1.0~~a", "1.0~", "double tilde before single tilde" },
        new object[] { "1.0", "1.0+b1", "a plus sorts after the end of the part (binNMU)" },
        new object[] { "1.0a", "1.0+", "letters sort before non-letters" },
        new object[] { "1.0-1", "1.0-2", "revisions compare like upstream parts" },
        new object[] { "1.0-9", "1.0-10", "numeric revision parts" },
        new object[] { "9.9", "1:0.1", "any epoch beats no epoch" },
        new object[] { "1:2.0", "2:1.0", "epochs compare first" },
        new object[] { "2.36-9", "2.36-9+deb12u4", "a stable update sorts after its base" },
        new object[] { "1.2-3", "1.2.0-1", "an extra component makes upstream newer" },
        new object[] { "1.0-1~bpo1", "1.0-1", "a backport sorts before the release" },
        new object[] { "0.0", "0.0.0", "a shorter version is older" },
        new object[] { "5.2.15-2", "5.2.15-2+b7", "binNMU of bash" },
    ];

    [TestCaseSource(nameof(Ordered))]
    public void Versions_order_as_Debian_policy_says(string lower, string higher, string why)
    {
        var a = DebianVersion.Parse(lower);
        var b = DebianVersion.Parse(higher);
        a.CompareTo(b).ShouldBeLessThan(0, why);
        b.CompareTo(a).ShouldBeGreaterThan(0, why);
    }

    [TestCase("1.0", "0:1.0", Description = "a missing epoch is epoch 0")]
    [TestCase("1.0", "1.0-0", Description = "an empty revision equals revision 0")]
    [TestCase("1.01", "1.1", Description = "leading zeros do not count")]
    [TestCase("2:1.0-1", "2:1.0-1", Description = "identical")]
    public void Equal_versions_compare_equal(string left, string right)
    {
        DebianVersion.Parse(left).CompareTo(DebianVersion.Parse(right)).ShouldBe(0);
        DebianVersion.Parse(left).ShouldBe(DebianVersion.Parse(right));
    }

    [Test]
    public void Hyphens_belong_to_upstream_except_the_last()
    {
        var version = DebianVersion.Parse("1:2.3-rc-4");
        version.Epoch.ShouldBe(1);
        version.Upstream.ShouldBe("2.3-rc");
        version.Revision.ShouldBe("4");
    }

    [TestCase("")]
    [TestCase("a1.0", Description = "upstream must start with a digit")]
    [TestCase("x:1.0", Description = "the epoch must be a number")]
    [TestCase("1.0-", Description = "an empty revision after a hyphen")]
    [TestCase("1.0 beta", Description = "spaces are not allowed")]
    public void Invalid_versions_are_rejected(string text) =>
        DebianVersion.TryParse(text, out _).ShouldBeFalse();
}
