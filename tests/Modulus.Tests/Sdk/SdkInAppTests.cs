namespace Modulus.Tests.Sdk;

/// <summary>
/// The in-app form: an app project that adds &lt;Sdk Name="Modulus.Sdk" /&gt; publishes the app and
/// its image in one `dotnet publish`, with no second project. (The run-image cases, on images/base
/// in dockerd, are RunImages/InAppImageTests.)
/// </summary>
[NonParallelizable]
public class SdkInAppTests
{
    private static SdkWorkspace Workspace => SdkPackage.Workspace;

    private static SampleProject NewConsoleApp(string properties = "")
    {
        var app = Workspace.NewProject($"""
            <Project Sdk="Microsoft.NET.Sdk">
              <Sdk Name="Modulus.Sdk" />
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ContainerRepository>tests/in-app</ContainerRepository>
                <ModulusImageKind>plain</ModulusImageKind>
                {properties}
              </PropertyGroup>
              <ItemGroup>
                <ModulusFile Include="motd.txt" Destination="/etc/" />
              </ItemGroup>
            </Project>
            """, "console");
        app.WriteFile("Program.cs", "System.Console.WriteLine(\"hello\");\n");
        app.WriteFile("motd.txt", "welcome\n");
        app.ImageFolder = Path.Combine(app.Folder, "bin", "Release", "net10.0", "image");
        return app;
    }

    [Test]
    public void With_EnableSdkContainerSupport_false_a_publish_writes_the_app_and_no_image_until_PublishContainer_asks_for_it()
    {
        var app = NewConsoleApp("<EnableSdkContainerSupport>false</EnableSdkContainerSupport>");

        var plain = app.Publish();

        plain.ExitCode.ShouldBe(0, plain.ToString());
        File.Exists(Path.Combine(app.Folder, "bin", "Release", "net10.0", "publish", "console.dll")).ShouldBeTrue(plain.ToString());
        File.Exists(app.ArchivePath).ShouldBeFalse("EnableSdkContainerSupport=false: a plain publish makes no image, as with the .NET SDK");
        plain.Log.ShouldNotContain("MOD5063", Case.Sensitive, "the property is honoured in the in-app form, not warned about");

        var asked = app.PublishContainer();

        asked.ExitCode.ShouldBe(0, asked.ToString());
        File.Exists(app.ArchivePath).ShouldBeTrue("-t:PublishContainer asks for the image by name: " + asked);
    }

    [Test]
    public void One_publish_compiles_the_app_and_puts_its_publish_output_at_app_in_a_layer_of_its_own()
    {
        var app = NewConsoleApp();

        var first = app.Publish();

        first.ExitCode.ShouldBe(0, first.ToString());
        var top = app.ReadTopLayer().Select(e => e.Name).ToArray();
        top.ShouldContain("app/console.dll", first.ToString());
        top.ShouldContain("app/console.runtimeconfig.json", first.ToString());
        top.ShouldNotContain("etc/motd.txt", "the project's files stay in their own layer");
        app.ReadLayoutConfig().ShouldContain("Modulus: app console", Case.Sensitive, first.ToString());
        var publishFolder = Path.Combine(app.Folder, "bin", "Release", "net10.0", "publish");
        File.Exists(Path.Combine(publishFolder, "console.dll")).ShouldBeTrue("the app's own publish folder is as dotnet publish makes it");
        Directory.GetFileSystemEntries(publishFolder).Select(Path.GetFileName).ShouldNotContain("image.tar", "the image goes beside the app's publish output, not into it");
        File.Exists(app.ArchivePath).ShouldBeTrue(first.ToString());

        var again = app.Publish();
        again.ExitCode.ShouldBe(0, again.ToString());
        again.PropertyValue.ShouldBe(first.PropertyValue);
        again.Log.ShouldContain("is up to date", Case.Sensitive, again.ToString());

        app.WriteFile("Program.cs", "System.Console.WriteLine(\"hello again\");\n");
        var changed = app.Publish();
        changed.ExitCode.ShouldBe(0, changed.ToString());
        changed.PropertyValue.ShouldNotBe(first.PropertyValue, "a change to the app's code changes the image");
    }

    [Test]
    public void A_web_apps_static_files_and_their_endpoints_manifest_are_in_the_image_and_a_change_to_one_changes_it()
    {
        // The static web assets targets copy wwwroot to the publish folder themselves, outside
        // the list PublishItemsOutputGroup reports; the image must still hold what the app serves.
        var app = Workspace.NewProject("""
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <Sdk Name="Modulus.Sdk" />
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <ContainerRepository>tests/in-app-web</ContainerRepository>
                <ModulusImageKind>plain</ModulusImageKind>
              </PropertyGroup>
            </Project>
            """, "web");
        app.WriteFile("Program.cs", "var app = WebApplication.CreateBuilder(args).Build();\napp.MapStaticAssets();\napp.Run();\n");
        app.WriteFile(Path.Combine("wwwroot", "index.html"), "<p>first</p>\n");
        app.ImageFolder = Path.Combine(app.Folder, "bin", "Release", "net10.0", "image");

        var first = app.Publish();

        first.ExitCode.ShouldBe(0, first.ToString());
        var top = app.ReadTopLayer().Select(e => e.Name).ToArray();
        top.ShouldContain("app/web.dll", first.ToString());
        top.ShouldContain("app/wwwroot/index.html", first.ToString());
        top.ShouldContain("app/web.staticwebassets.endpoints.json", "MapStaticAssets reads it: " + first);
        app.ReadTopLayerFile("app/wwwroot/index.html").ShouldBe("<p>first</p>\n");

        app.WriteFile(Path.Combine("wwwroot", "index.html"), "<p>second</p>\n");
        var changed = app.Publish();

        changed.ExitCode.ShouldBe(0, changed.ToString());
        changed.PropertyValue.ShouldNotBe(first.PropertyValue, "a change to a static file changes the image");
        app.ReadTopLayerFile("app/wwwroot/index.html").ShouldBe("<p>second</p>\n");
    }

    [Test]
    public void PublishContainer_is_Modulus_s_and_gives_the_image_dotnet_publish_gives()
    {
        var app = NewConsoleApp();
        var published = app.Publish();
        published.ExitCode.ShouldBe(0, published.ToString());

        // The .NET SDK's own PublishContainer would pull a Microsoft base image (no network here)
        // and fail; Modulus's replaces it and publishes the same image.
        var container = app.PublishContainer();

        container.ExitCode.ShouldBe(0, container.ToString());
        container.Output.ShouldNotContain("CONTAINER", Case.Sensitive, container.ToString());
        app.ReportedDigest().ShouldBe(published.PropertyValue);
        container.Log.ShouldContain("is up to date", Case.Sensitive, container.ToString());
    }

    [Test]
    public void ModulusAppDestination_and_ModulusImageOutputDirectory_move_the_app_and_the_image()
    {
        var app = NewConsoleApp("<ModulusAppDestination>/srv/console/</ModulusAppDestination><ModulusImageOutputDirectory>out/image/</ModulusImageOutputDirectory>");
        app.ImageFolder = Path.Combine(app.Folder, "out", "image");

        var result = app.Publish();

        result.ExitCode.ShouldBe(0, result.ToString());
        app.ReadTopLayer().Select(e => e.Name).ShouldContain("srv/console/console.dll", result.ToString());
        app.ReportedDigest().ShouldBe(result.PropertyValue);
    }

    [Test]
    public void A_destination_that_is_not_a_folder_is_MOD5041_at_the_projects_line()
    {
        var app = NewConsoleApp("<ModulusAppDestination>app</ModulusAppDestination>");

        var result = app.Publish();

        result.ExitCode.ShouldNotBe(0, result.ToString());
        result.Output.ShouldContain($"console.csproj({app.LineOf("<ModulusAppDestination>")}): error MOD5041", Case.Sensitive, result.ToString());
    }
}
