using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Sdk;

/// <summary>
/// Modulus.Sdk packed from this repository once per test run, into a feed every
/// <see cref="SdkWorkspace"/> reads: packing takes longer than most tests, and four folders of
/// tests need the package. Each workspace still restores it into a package cache of its own.
/// </summary>
internal static class SdkFeed
{
    private static readonly Lazy<TempDirectory> Packed = new(Pack, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string Folder => Packed.Value.Combine("feed");

    /// <summary>Removes the feed at the end of the run, if a test packed it.</summary>
    public static void Remove()
    {
        if (Packed.IsValueCreated) Packed.Value.Dispose();
    }

    private static TempDirectory Pack()
    {
        var feed = new TempDirectory("sdk-feed");
        // The pack restores into a cache of its own beside the feed, not inside it.
        var environment = System.Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("DOTNET_HOST", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(k => k, _ => (string?)null);
        environment["NUGET_PACKAGES"] = feed.Combine("packages");
        environment["MSBUILDDISABLENODEREUSE"] = "1";
        var pack = Tools.Run("dotnet",
            ["pack", RepoPaths.Combine("src", "Modulus.Sdk"), "-c", "Release", "-o", feed.Combine("feed"), "-nodeReuse:false", "-nologo"],
            TimeSpan.FromMinutes(8), environment: environment);
        if (pack.ExitCode != 0)
        {
            feed.Dispose();
            Assert.Fail($"dotnet pack of Modulus.Sdk failed:\n{pack}");
        }
        return feed;
    }
}
