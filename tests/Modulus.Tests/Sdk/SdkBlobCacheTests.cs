using System.Security.Cryptography;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Sdk;

/// <summary>Where ModulusBlobCache points when the project does not set it (docs/sdk.md), its limit and its targets (docs/images.md, "The blob cache's size").</summary>
[NonParallelizable]
public class SdkBlobCacheTests
{
    private static SdkWorkspace Workspace => SdkPackage.Workspace;

    [Test]
    public void On_Linux_the_default_cache_is_under_XDG_CACHE_HOME_else_HOME_dot_cache_not_LOCALAPPDATA()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("the Linux default");
        using var home = new TempDirectory("home");
        var sample = Workspace.NewProject("""<Project Sdk="Modulus.Sdk" />""");

        // MSBuild defines LOCALAPPDATA on Linux too (as ~/.local/share): it must not win.
        var withoutXdg = sample.Evaluate("ModulusBlobCache", new Dictionary<string, string?>
        {
            ["HOME"] = home.Path, ["XDG_CACHE_HOME"] = null, ["XDG_DATA_HOME"] = null, ["DOTNET_CLI_HOME"] = home.Path,
        });
        var withXdg = sample.Evaluate("ModulusBlobCache", new Dictionary<string, string?>
        {
            ["HOME"] = home.Path, ["XDG_CACHE_HOME"] = home.Combine("xdg-cache"), ["XDG_DATA_HOME"] = null, ["DOTNET_CLI_HOME"] = home.Path,
        });

        withoutXdg.ExitCode.ShouldBe(0, withoutXdg.ToString());
        withoutXdg.PropertyValue.ShouldBe(home.Combine(".cache", "modulus"), withoutXdg.ToString());
        withXdg.ExitCode.ShouldBe(0, withXdg.ToString());
        withXdg.PropertyValue.ShouldBe(home.Combine("xdg-cache", "modulus"), withXdg.ToString());
    }

    [Test]
    public void A_publish_prunes_to_ModulusBlobCacheLimit_and_the_targets_list_verify_and_prune_the_cache()
    {
        using var cache = new TempDirectory("sdk-blob-cache");
        var sample = Workspace.NewProject("""
            <Project Sdk="Modulus.Sdk">
              <PropertyGroup><ModulusImageKind>plain</ModulusImageKind><ContainerRepository>tests/cache</ContainerRepository></PropertyGroup>
              <ItemGroup><ModulusFile Include="/srv/hello.txt" Content="hello" /></ItemGroup>
            </Project>
            """);
        var at = "ModulusBlobCache=" + cache.Path;
        // What another project used two months ago: 300 KiB.
        var stale = new byte[300 * 1024];
        new Random(1).NextBytes(stale);
        var stalePath = cache.Combine("sha256", Convert.ToHexStringLower(SHA256.HashData(stale)));
        Directory.CreateDirectory(Path.GetDirectoryName(stalePath)!);
        File.WriteAllBytes(stalePath, stale);
        File.SetLastWriteTimeUtc(stalePath, DateTime.UtcNow.AddDays(-60));

        var unlimited = sample.Publish(at, "ModulusBlobCacheLimit=none");
        unlimited.ExitCode.ShouldBe(0, unlimited.ToString());
        File.Exists(stalePath).ShouldBeTrue("no limit");
        var info = sample.RunTarget("ModulusCacheInfo", at);
        var limited = sample.Publish(at, "ModulusBlobCacheLimit=200KB", "SOURCE_DATE_EPOCH=1");

        info.ExitCode.ShouldBe(0, info.ToString());
        info.Log.ShouldContain($"Blob cache {cache.Path}: ", Case.Sensitive, info.ToString());
        info.Log.ShouldContain("units, limit 10.0 GB", Case.Sensitive, info.ToString());
        info.Log.ShouldMatch(@"\n\s+sha256\s+\d+\.\d KB\s+\d+ units", info.ToString());
        info.Log.ShouldMatch(@"\n\s+layers\s+\d+\.\d KB\s+1 units", info.ToString());
        info.Log.ShouldContain("Least recently used ", Case.Sensitive, info.ToString());
        limited.ExitCode.ShouldBe(0, limited.ToString());
        limited.Log.ShouldContain($"Pruned the blob cache {cache.Path}: removed 1 of ", Case.Sensitive, limited.ToString());
        limited.Log.ShouldContain("limit 200.0 KB", Case.Sensitive, limited.ToString());
        File.Exists(stalePath).ShouldBeFalse("the least recently used unit");

        var blob = Directory.GetFiles(cache.Combine("sha256")).First();
        File.WriteAllText(blob, "damaged");
        var verified = sample.RunTarget("ModulusVerifyCache", at);
        verified.ExitCode.ShouldBe(0, verified.ToString());
        verified.Log.ShouldContain($"warning MOD2220: The blob sha256:{Path.GetFileName(blob)} in the blob cache ('{blob}') does not match its digest", Case.Sensitive, verified.ToString());
        verified.Log.ShouldMatch($@"Verified the blob cache {System.Text.RegularExpressions.Regex.Escape(cache.Path)}: \d+ units checked \(.* of blobs hashed\), 1 damaged and removed", verified.ToString());
        File.Exists(blob).ShouldBeFalse();

        var emptied = sample.RunTarget("ModulusPruneCache", at, "ModulusBlobCacheLimit=0");
        emptied.ExitCode.ShouldBe(0, emptied.ToString());
        emptied.Log.ShouldMatch($@"Pruned the blob cache {System.Text.RegularExpressions.Regex.Escape(cache.Path)}: removed \d+ of \d+ units, .* to 0 B, limit 0 B", emptied.ToString());
        var empty = sample.RunTarget("ModulusCacheInfo", at);
        empty.Log.ShouldContain($"Blob cache {cache.Path}: 0 B in 0 units, limit 10.0 GB", Case.Sensitive, empty.ToString());
        var again = sample.Publish(at, "SOURCE_DATE_EPOCH=1", $"ModulusImageOutputDirectory={sample.Folder}/again");
        again.ExitCode.ShouldBe(0, again.ToString());
        again.PropertyValue.ShouldBe(limited.PropertyValue, "the image again from an empty cache");

        var invalid = sample.RunTarget("ModulusPruneCache", at, "ModulusBlobCacheLimit=ten");
        invalid.ExitCode.ShouldNotBe(0, invalid.ToString());
        invalid.Log.ShouldContain("error MOD2260: ModulusBlobCacheLimit 'ten' is not a size.", Case.Sensitive, invalid.ToString());
    }
}
