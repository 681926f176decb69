using System.Text.Json.Nodes;
using Modulus.Diagnostics;
using Modulus.DotNet;
using Modulus.Images;
using Modulus.Oci;
using Modulus.Tests.TestSupport;
using static Modulus.Tests.TestSupport.TarLayer;

namespace Modulus.Tests.DotNet;

/// <summary>A framework-dependent app against the .NET an image holds, laid out as images/dotnet lays it out.</summary>
public class FrameworkCheckTests
{
    private const string WebApp = """
        { "runtimeOptions": { "tfm": "net10.0", "frameworks": [
            { "name": "Microsoft.NETCore.App", "version": "10.0.0" },
            { "name": "Microsoft.AspNetCore.App", "version": "10.0.0" } ] } }
        """;

    private static DotNetInstallation Image(string root = "usr/share/dotnet", string? dotnetRoot = null, string? rollForward = null, params string[] frameworks)
    {
        var entries = frameworks.Select(f => Directory($"{root}/shared/{f}")).ToList();
        entries.Add(File($"{root}/host/fxr/10.0.0/libhostfxr.so", "elf"));
        var config = ImageConfig.Empty(new Platform("linux", "amd64")).With(c =>
        {
            var env = new JsonArray();
            if (dotnetRoot is not null) env.Add($"DOTNET_ROOT={dotnetRoot}");
            if (rollForward is not null) env.Add($"DOTNET_ROLL_FORWARD={rollForward}");
            c["config"] = new JsonObject { ["Env"] = env };
        });
        return DotNetInstallation.Of(ImageFileSystem.Read([Of([.. entries])]), config);
    }

    private static ModulusException Fails(string json, DotNetInstallation dotnet) =>
        Should.Throw<ModulusException>(() => FrameworkCheck.Check("shop", RuntimeConfig.Parse(json, "shop", "shop.runtimeconfig.json"), dotnet));

    [Test]
    public void A_web_app_runs_on_an_image_with_both_frameworks_at_a_later_patch()
    {
        var dotnet = Image(frameworks: ["Microsoft.NETCore.App/10.0.2", "Microsoft.AspNetCore.App/10.0.2"]);

        Should.NotThrow(() => FrameworkCheck.Check("shop", RuntimeConfig.Parse(WebApp, "shop", "shop.runtimeconfig.json"), dotnet));
    }

    [Test]
    public void A_missing_framework_is_MOD5045_naming_it_the_versions_present_and_both_fixes()
    {
        var error = Fails(WebApp, Image(frameworks: ["Microsoft.NETCore.App/10.0.2", "Microsoft.AspNetCore.App/9.0.11"]));

        error.Code.ShouldBe("MOD5045");
        error.Text.ShouldContain("Microsoft.AspNetCore.App 10.0.0 (rollForward Minor)");
        error.Text.ShouldContain("only 9.0.11 in /usr/share/dotnet/shared/Microsoft.AspNetCore.App");
        error.Text.ShouldContain("images/dotnet");
        error.Text.ShouldContain("self-contained");
    }

    [Test]
    public void An_image_without_dotnet_says_so()
    {
        var error = Fails(WebApp, Image());

        error.Code.ShouldBe("MOD5045");
        error.Text.ShouldContain("Microsoft.NETCore.App 10.0.0");
        error.Text.ShouldContain("no .NET at /usr/share/dotnet (DOTNET_ROOT)");
    }

    [Test]
    public void DOTNET_ROOT_of_the_image_says_where_dotnet_is()
    {
        var dotnet = Image("opt/dotnet", "/opt/dotnet", frameworks: ["Microsoft.NETCore.App/10.0.0", "Microsoft.AspNetCore.App/10.0.0"]);

        Should.NotThrow(() => FrameworkCheck.Check("shop", RuntimeConfig.Parse(WebApp, "shop", "x.runtimeconfig.json"), dotnet));
        Fails(WebApp, Image("opt/dotnet", frameworks: ["Microsoft.NETCore.App/10.0.0", "Microsoft.AspNetCore.App/10.0.0"])).Code.ShouldBe("MOD5045");
    }

    [Test]
    public void The_apps_rollForward_and_the_images_DOTNET_ROLL_FORWARD_are_honoured_in_the_hosts_order()
    {
        const string major = """{ "runtimeOptions": { "rollForward": "Major", "framework": { "name": "Microsoft.NETCore.App", "version": "9.0.0" } } }""";
        const string frameworkLevel = """{ "runtimeOptions": { "rollForward": "Major", "framework": { "name": "Microsoft.NETCore.App", "version": "9.0.0", "rollForward": "LatestPatch" } } }""";
        string[] net10 = ["Microsoft.NETCore.App/10.0.1"];

        Should.NotThrow(() => FrameworkCheck.Check("a", RuntimeConfig.Parse(major, "a", "a.runtimeconfig.json"), Image(frameworks: net10)));
        Fails(frameworkLevel, Image(frameworks: net10)).Text.ShouldContain("(rollForward LatestPatch)");
        Fails(major, Image(rollForward: "Disable", frameworks: net10)).Text.ShouldContain("(rollForward Disable)");
        Fails(major, Image(rollForward: "Often", frameworks: net10)).Code.ShouldBe("MOD5048");
    }

    [Test]
    public void A_self_contained_app_needs_nothing_from_the_image()
    {
        const string selfContained = """{ "runtimeOptions": { "tfm": "net10.0", "includedFrameworks": [ { "name": "Microsoft.NETCore.App", "version": "10.0.0" } ] } }""";

        Should.NotThrow(() => FrameworkCheck.Check("a", RuntimeConfig.Parse(selfContained, "a", "a.runtimeconfig.json"), Image()));
    }

    [Test]
    public void Frameworks_without_a_host_resolver_are_MOD5047()
    {
        var config = ImageConfig.Empty(new Platform("linux", "amd64"));
        var dotnet = DotNetInstallation.Of(ImageFileSystem.Read([Of(Directory("usr/share/dotnet/shared/Microsoft.NETCore.App/10.0.0"))]), config);

        Fails("""{ "runtimeOptions": { "framework": { "name": "Microsoft.NETCore.App", "version": "10.0.0" } } }""", dotnet).Code.ShouldBe("MOD5047");
    }

    [TestCase("{ not json", Description = "not JSON")]
    [TestCase("""{ "runtimeOptions": { "framework": { "name": "Microsoft.NETCore.App", "version": "10" } } }""", Description = "a version of two parts")]
    [TestCase("""{ "runtimeOptions": { "framework": { "version": "10.0.0" } } }""", Description = "no name")]
    public void An_unreadable_runtimeconfig_is_MOD5046_naming_the_file(string json)
    {
        var error = Should.Throw<ModulusException>(() => RuntimeConfig.Parse(json, "shop", "shop.runtimeconfig.json"));

        error.Code.ShouldBe("MOD5046");
        error.Text.ShouldContain("'shop.runtimeconfig.json'");
    }
}
