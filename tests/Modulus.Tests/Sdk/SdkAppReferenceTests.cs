namespace Modulus.Tests.Sdk;

/// <summary>
/// A ProjectReference with a Destination puts a .NET app's publish output into the image: one
/// `dotnet publish` of the image project publishes the app and lays its files out in a layer of
/// their own, which follows the app's changes and leaves the layers below alone.
/// </summary>
[NonParallelizable]
public class SdkAppReferenceTests
{
    private const int Executable = 0b111_101_101; // 0755
    private const int Regular = 0b110_100_100; // 0644

    private static SdkWorkspace Workspace => SdkPackage.Workspace;

    /// <summary>An image project on scratch with a file of its own, and beside it app/, a console app.</summary>
    private static (SampleProject Image, string AppFolder) NewImage(string destination = "/app/", string properties = "", string referenceMetadata = "")
    {
        var image = Workspace.NewProject($"""
            <Project Sdk="Modulus.Sdk">
              <PropertyGroup>
                <ContainerRepository>tests/app-image</ContainerRepository>
                <ModulusImageKind>plain</ModulusImageKind>
                {properties}
              </PropertyGroup>
              <ItemGroup>
                <ModulusFile Include="settings.txt" Destination="/etc/app/" />
                <ProjectReference Include="../app/app.csproj" Destination="{destination}" {referenceMetadata} />
                <ContainerAppCommand Include="dotnet;/app/app.dll" />
              </ItemGroup>
            </Project>
            """, "image");
        image.WriteFile("settings.txt", "level=info\n");
        var appFolder = Path.Combine(Path.GetDirectoryName(image.Folder)!, "app");
        Directory.CreateDirectory(appFolder);
        File.WriteAllText(Path.Combine(appFolder, "app.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(appFolder, "Program.cs"), "System.Console.WriteLine(\"hello\");\n");
        return (image, appFolder);
    }

    [Test]
    public void One_publish_puts_the_apps_publish_output_at_its_destination_and_follows_the_apps_changes()
    {
        var (image, appFolder) = NewImage();

        var first = image.Publish();

        first.ExitCode.ShouldBe(0, first.ToString());
        var top = image.ReadTopLayer().ToDictionary(e => e.Name, e => e.Mode);
        top.ShouldContainKeyAndValue("app/app.dll", Regular, first.ToString());
        top.ShouldContainKeyAndValue("app/app.runtimeconfig.json", Regular, first.ToString());
        top.ShouldContainKeyAndValue("app/app", Executable, first.ToString());
        top.ShouldNotContainKey("etc/app/settings.txt", "the project's files stay in their own layer");
        top.ShouldNotContainKey("app/app.staticwebassets.endpoints.json", "a console app has no static web assets");
        image.ReadLayoutConfig().ShouldContain("Modulus: app app", Case.Sensitive, first.ToString());
        var layers = image.LayerDigests();

        var unchanged = image.Publish();
        unchanged.ExitCode.ShouldBe(0, unchanged.ToString());
        unchanged.PropertyValue.ShouldBe(first.PropertyValue, unchanged.ToString());
        unchanged.Log.ShouldContain("is up to date", Case.Sensitive, unchanged.ToString());

        File.WriteAllText(Path.Combine(appFolder, "Program.cs"), "System.Console.WriteLine(\"hello again\");\n");
        var changed = image.Publish();

        changed.ExitCode.ShouldBe(0, changed.ToString());
        changed.PropertyValue.ShouldNotBe(first.PropertyValue, changed.ToString());
        var changedLayers = image.LayerDigests();
        changedLayers.Count.ShouldBe(layers.Count, changed.ToString());
        changedLayers.Take(layers.Count - 1).ShouldBe(layers.Take(layers.Count - 1), "only the app's layer changes");
        changedLayers[^1].ShouldNotBe(layers[^1], changed.ToString());
    }

    [Test]
    public void A_web_apps_static_files_and_endpoints_manifest_are_in_its_layer_as_its_publish_lists_them()
    {
        // The static web assets targets copy wwwroot to the publish folder themselves, outside
        // the list PublishItemsOutputGroup reports; the image must still hold what the app serves.
        var (image, appFolder) = NewImage();
        File.WriteAllText(Path.Combine(appFolder, "app.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(appFolder, "Program.cs"), "var app = WebApplication.CreateBuilder(args).Build();\napp.MapStaticAssets();\napp.Run();\n");
        Directory.CreateDirectory(Path.Combine(appFolder, "wwwroot"));
        var indexHtml = Path.Combine(appFolder, "wwwroot", "index.html");
        File.WriteAllText(indexHtml, "<p>first</p>\n");

        var first = image.Publish();

        first.ExitCode.ShouldBe(0, first.ToString());
        var top = image.ReadTopLayer().ToDictionary(e => e.Name, e => e.Mode);
        top.ShouldContainKey("app/app.dll", first.ToString());
        top.ShouldContainKeyAndValue("app/wwwroot/index.html", Regular, first.ToString());
        top.ShouldContainKey("app/wwwroot/index.html.gz", "publish compresses static files: " + first);
        top.ShouldContainKey("app/wwwroot/index.html.br", "publish compresses static files: " + first);
        top.ShouldContainKey("app/app.staticwebassets.endpoints.json", "MapStaticAssets reads it: " + first);
        image.ReadTopLayerFile("app/wwwroot/index.html").ShouldBe("<p>first</p>\n");

        // A file an earlier publish left in the app's publish folder is not in this publish's list.
        var appPublishFolder = Directory.GetDirectories(Path.Combine(image.Folder, "obj", "Release", "net10.0", "modulus", "apps"), "app-*").Single();
        File.WriteAllText(Path.Combine(appPublishFolder, "wwwroot", "stale.html"), "<p>stale</p>\n");
        File.WriteAllText(indexHtml, "<p>second</p>\n");
        // The app's publish imports Modulus's targets through CustomAfterMicrosoftCommonTargets:
        // the user's own file, given on the command line, must still be imported there.
        var userTargets = image.WriteFile("user.targets", """
            <Project>
              <Target Name="UserHook" AfterTargets="Publish" Condition="'$(MSBuildProjectName)' == 'app'">
                <Message Importance="high" Text="user targets ran in the publish of $(MSBuildProjectName)" />
              </Target>
            </Project>
            """);
        var changed = image.Publish($"CustomAfterMicrosoftCommonTargets={userTargets}");

        changed.ExitCode.ShouldBe(0, changed.ToString());
        changed.Log.ShouldContain("user targets ran in the publish of app", Case.Sensitive, changed.ToString());
        changed.PropertyValue.ShouldNotBe(first.PropertyValue, "a change to a static file changes the image");
        image.ReadTopLayerFile("app/wwwroot/index.html").ShouldBe("<p>second</p>\n");
        image.ReadTopLayer().Select(e => e.Name).ShouldNotContain("app/wwwroot/stale.html", changed.ToString());
    }

    [Test]
    public void The_images_runtime_identifier_and_the_references_properties_reach_the_apps_publish()
    {
        var (image, _) = NewImage(
            properties: "<ContainerRuntimeIdentifier>linux-arm64</ContainerRuntimeIdentifier>",
            referenceMetadata: "AdditionalProperties=\"InvariantGlobalization=true\"");

        var result = image.Publish();

        result.ExitCode.ShouldBe(0, result.ToString());
        image.ReadTopLayerFile("app/app.deps.json").ShouldContain("/linux-arm64\"", Case.Sensitive, "published for the image's runtime identifier");
        image.ReadTopLayerFile("app/app.runtimeconfig.json").ShouldContain("\"System.Globalization.Invariant\": true", Case.Sensitive, "the reference's AdditionalProperties");
        image.ReadLayoutConfig().ShouldContain("\"architecture\":\"arm64\"", Case.Sensitive, result.ToString());

        var again = image.Publish();
        again.ExitCode.ShouldBe(0, again.ToString());
        again.Log.ShouldContain("is up to date", Case.Sensitive, again.ToString());
    }

    [Test]
    public void For_several_platforms_the_app_is_published_for_each_runtime_identifier_into_its_platforms_image()
    {
        var (image, _) = NewImage(properties: "<ContainerRuntimeIdentifiers>linux-x64;linux-arm64</ContainerRuntimeIdentifiers>");

        var result = image.Publish();

        result.ExitCode.ShouldBe(0, result.ToString());
        using var report = System.Text.Json.JsonDocument.Parse(File.ReadAllText(image.ReportPath));
        var platforms = report.RootElement.GetProperty("platforms").EnumerateArray()
            .Select(p => (Platform: p.GetProperty("platform").GetString()!, Manifest: p.GetProperty("manifestDigest").GetString()!)).ToArray();
        platforms.Select(p => p.Platform).ShouldBe(["linux/amd64", "linux/arm64/v8"], result.ToString());
        foreach (var (platform, manifest, rid, machine) in new[] { (platforms[0].Platform, platforms[0].Manifest, "linux-x64", (ushort)62), (platforms[1].Platform, platforms[1].Manifest, "linux-arm64", (ushort)183) })
        {
            var top = image.ReadTopLayer(manifest).ToDictionary(e => e.Name, e => e.Mode);
            top.ShouldContainKey("app/app.dll", result.ToString());
            // The apphost of the platform's own architecture (ELF e_machine at offset 18: 62 x86-64, 183 AArch64), executable.
            top.ShouldContainKeyAndValue("app/app", 0b111_101_101, $"{platform}: {result}");
            BitConverter.ToUInt16(image.ReadTopLayerBytes("app/app", manifest), 18).ShouldBe(machine, platform);
            System.Text.Encoding.UTF8.GetString(image.ReadTopLayerBytes("app/app.deps.json", manifest)).ShouldContain($"/{rid}\"", Case.Sensitive, platform);
        }

        var again = image.Publish();
        again.ExitCode.ShouldBe(0, again.ToString());
        again.Log.ShouldContain("is up to date", Case.Sensitive, again.ToString());
    }

    [Test]
    public void An_app_that_lists_its_one_framework_as_TargetFrameworks_is_published_for_it()
    {
        var (image, appFolder) = NewImage();
        File.WriteAllText(Path.Combine(appFolder, "app.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFrameworks>net10.0</TargetFrameworks>
              </PropertyGroup>
            </Project>
            """);

        var result = image.Publish();

        result.ExitCode.ShouldBe(0, result.ToString());
        image.ReadTopLayer().Select(e => e.Name).ShouldContain("app/app.dll", result.ToString());
    }

    [Test]
    public void The_same_app_referenced_twice_fails_with_MOD5043_at_the_reference()
    {
        var (image, _) = NewImage(referenceMetadata: "/><ProjectReference Include=\"../app/app.csproj\" Destination=\"/other/\"");

        var result = image.Publish();

        result.ExitCode.ShouldNotBe(0, result.ToString());
        result.Output.ShouldContain("error MOD5043:", Case.Sensitive, result.ToString());
        result.Output.ShouldContain($"{image.ProjectPath}({image.LineOf("<ProjectReference")}", Case.Sensitive, result.ToString());
    }

    [Test]
    public void Building_the_image_project_builds_the_app_and_publishes_nothing()
    {
        var (image, appFolder) = NewImage();

        var result = image.Build();

        result.ExitCode.ShouldBe(0, result.ToString());
        File.Exists(Path.Combine(appFolder, "bin", "Debug", "net10.0", "app.dll")).ShouldBeTrue(result.ToString());
        File.Exists(image.ReportPath).ShouldBeFalse(result.ToString());
    }

    [Test]
    public void A_destination_that_is_not_an_absolute_folder_fails_with_MOD5041_at_the_reference()
    {
        var (image, _) = NewImage(destination: "app");

        var result = image.Publish();

        result.ExitCode.ShouldNotBe(0, result.ToString());
        result.Output.ShouldContain($"{image.ProjectPath}({image.LineOf("<ProjectReference")}", Case.Sensitive, result.ToString());
        result.Output.ShouldContain("error MOD5041:", Case.Sensitive, result.ToString());
        result.Output.ShouldContain("'app'", Case.Sensitive, result.ToString());
    }

    [Test]
    public void A_Modulus_project_referenced_with_a_destination_fails_with_MOD5040_and_is_not_published()
    {
        var baseProject = Workspace.NewProject("""
            <Project Sdk="Modulus.Sdk">
              <PropertyGroup><ModulusImageKind>plain</ModulusImageKind></PropertyGroup>
            </Project>
            """, "base");
        var image = Workspace.NewProject($"""
            <Project Sdk="Modulus.Sdk">
              <PropertyGroup><ModulusImageKind>plain</ModulusImageKind></PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{baseProject.ProjectPath}" Destination="/app/" />
              </ItemGroup>
            </Project>
            """, "image");

        var result = image.Publish();

        result.ExitCode.ShouldNotBe(0, result.ToString());
        result.Output.ShouldContain($"{image.ProjectPath}({image.LineOf("<ProjectReference")}", Case.Sensitive, result.ToString());
        result.Output.ShouldContain("error MOD5040:", Case.Sensitive, result.ToString());
        File.Exists(baseProject.ReportPath).ShouldBeFalse(result.ToString());
    }
}
