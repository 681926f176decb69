using Modulus.Debian;

namespace Modulus.Tests.TestSupport;

/// <summary>
/// One blob cache for every test that installs Debian packages from the machine's configured
/// mirror, so each index and .deb is downloaded once per run rather than once per test.
/// </summary>
internal static class DebianCache
{
    public static readonly string Folder = Path.Combine(Path.GetTempPath(), "modulus-tests", "debian-cache");

    /// <summary>Skips (fails in CI) when this machine's apt has no bookworm source to install from.</summary>
    public static void RequireConfiguredMirror()
    {
        if (AptSources.ForSuite(AptSources.Read("/etc/apt"), "bookworm").Count > 0) return;
        const string message = "this machine's apt has no bookworm source to test against";
        if (Tools.InCi) Assert.Fail(message);
        Assert.Ignore(message);
    }
}
