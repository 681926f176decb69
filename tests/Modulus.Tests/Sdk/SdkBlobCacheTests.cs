using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Sdk;

/// <summary>Where ModulusBlobCache points when the project does not set it (docs/sdk.md).</summary>
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
}
