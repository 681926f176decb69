using System.Text.Json;
using Modulus.Oci;
using Modulus.Registry;
using Modulus.Tests.Registry;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Sdk;

/// <summary>`dotnet publish` of a project whose base image comes from a registry and that pushes to one.</summary>
[NonParallelizable]
public class SdkRegistryTests
{
    private RegistryServer _registry = null!;

    [OneTimeSetUp]
    public void StartRegistry() => _registry = RegistryServer.Start();

    [OneTimeTearDown]
    public void StopRegistry() => _registry.Dispose();

    [Test]
    public async Task Publish_pulls_a_registry_base_image_and_pushes_to_ContainerRegistry()
    {
        using var kit = new RegistryTestKit();
        var store = kit.NewStore();
        var baseImage = TestImages.Unique(store, "sdk-base", layerCount: 1);
        await RegistryPusher.PushAsync(baseImage, RegistryTestKit.Reference(_registry.Address, "base/run", "1.0"), [], store, kit.Options);
        var sample = SdkPackage.Workspace.NewProject($"""
            <Project Sdk="Modulus.Sdk">
              <PropertyGroup><ModulusImageKind>plain</ModulusImageKind></PropertyGroup>
              <PropertyGroup>
                <ModulusBaseImage>docker://{_registry.Address}/base/run:1.0</ModulusBaseImage>
                <ContainerRegistry>{_registry.Address}</ContainerRegistry>
                <ContainerRepository>apps/sample</ContainerRepository>
                <ContainerImageTags>1.0;latest</ContainerImageTags>
              </PropertyGroup>
              <ItemGroup>
                <ModulusFile Include="hello.txt" Destination="/srv/" />
              </ItemGroup>
            </Project>
            """);
        sample.WriteFile("hello.txt", "hello\n");

        var result = sample.Publish();

        result.ExitCode.ShouldBe(0, result.ToString());
        var digest = sample.ReportedDigest();
        result.Log.ShouldContain($"Pushed {_registry.Address}/apps/sample@{digest} as 1.0, latest", Case.Sensitive, result.ToString());
        using (var report = JsonDocument.Parse(File.ReadAllText(sample.ReportPath)))
        {
            var pushed = report.RootElement.GetProperty("pushed");
            pushed.GetProperty("digest").GetString().ShouldBe(digest);
            pushed.GetProperty("reference").GetString().ShouldBe($"{_registry.Address}/apps/sample@{digest}");
            report.RootElement.GetProperty("layers")[0].GetProperty("digest").GetString().ShouldBe(baseImage.Layers[0].Digest.ToString());
        }
        var pulled = await RegistryImageSource.PullAsync(RegistryTestKit.Reference(_registry.Address, "apps/sample", "latest"), Platform.LinuxAmd64, kit.NewStore(), kit.Options);
        pulled.ManifestDigest.ToString().ShouldBe(digest);
    }

    [Test]
    public void PublishContainer_publishes_and_pushes_under_the_NET_SDK_name()
    {
        var sample = SdkPackage.Workspace.NewProject($"""
            <Project Sdk="Modulus.Sdk">
              <PropertyGroup><ModulusImageKind>plain</ModulusImageKind></PropertyGroup>
              <PropertyGroup>
                <ContainerRegistry>{_registry.Address}</ContainerRegistry>
                <ContainerRepository>apps/container</ContainerRepository>
              </PropertyGroup>
              <ItemGroup>
                <ModulusFile Include="/etc/motd" Content="pushed by PublishContainer" />
              </ItemGroup>
            </Project>
            """);

        var result = sample.PublishContainer();

        result.ExitCode.ShouldBe(0, result.ToString());
        result.PropertyValue.ShouldBe(sample.ReportedDigest(), result.ToString());
    }

    /// <summary>
    /// A base made by a referenced Modulus project: pushing the derived image sends the base's
    /// layers with it, but gives the base's own repository a tag only with
    /// ModulusPushReferencedImages, and then under the base's own repository and tags.
    /// </summary>
    [Test]
    public async Task A_referenced_base_project_is_pushed_under_its_own_tags_only_when_asked()
    {
        var baseProject = SdkPackage.Workspace.NewProject("""
            <Project Sdk="Modulus.Sdk">
              <PropertyGroup>
                <ModulusImageKind>plain</ModulusImageKind>
                <ContainerRepository>refs/base</ContainerRepository>
                <ContainerImageTag>1.0</ContainerImageTag>
              </PropertyGroup>
              <ItemGroup><ModulusFile Include="/srv/base.txt" Content="base" /></ItemGroup>
            </Project>
            """, "base");
        var derived = SdkPackage.Workspace.NewProject($"""
            <Project Sdk="Modulus.Sdk">
              <PropertyGroup>
                <ModulusImageKind>plain</ModulusImageKind>
                <ContainerRepository>refs/derived</ContainerRepository>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{baseProject.ProjectPath}" />
                <ModulusFile Include="/srv/derived.txt" Content="derived" />
              </ItemGroup>
            </Project>
            """, "derived");
        using var http = new HttpClient { BaseAddress = new Uri($"http://{_registry.Address}/") };
        async Task<bool> Tagged(string repository, string tag)
        {
            using var request = new HttpRequestMessage(HttpMethod.Head, $"v2/{repository}/manifests/{tag}");
            request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
            using var response = await http.SendAsync(request);
            return response.IsSuccessStatusCode;
        }

        var derivedOnly = derived.Publish("ContainerRegistry=" + _registry.Address, "ContainerImageTag=7");

        derivedOnly.ExitCode.ShouldBe(0, derivedOnly.ToString());
        (await Tagged("refs/derived", "7")).ShouldBeTrue(derivedOnly.ToString());
        (await Tagged("refs/base", "1.0")).ShouldBeFalse($"the base's tag was pushed unasked\n{derivedOnly}");
        (await Tagged("refs/base", "7")).ShouldBeFalse($"the base was pushed under the derived image's tag\n{derivedOnly}");
        using var kit = new RegistryTestKit();
        var pulled = await RegistryImageSource.PullAsync(RegistryTestKit.Reference(_registry.Address, "refs/derived", "7"), Platform.LinuxAmd64, kit.NewStore(), kit.Options);
        pulled.Layers.Count.ShouldBe(2, "the base's layer goes with the derived image");

        var both = derived.Publish("ContainerRegistry=" + _registry.Address, "ContainerImageTag=7", "ModulusPushReferencedImages=true");

        both.ExitCode.ShouldBe(0, both.ToString());
        (await Tagged("refs/base", "1.0")).ShouldBeTrue(both.ToString());
        (await Tagged("refs/base", "7")).ShouldBeFalse($"the command line's tag is the derived image's, not the base's\n{both}");
    }

    [Test]
    public void A_registry_with_a_scheme_fails_with_MOD1015_at_its_property()
    {
        var sample = SdkPackage.Workspace.NewProject("""
            <Project Sdk="Modulus.Sdk">
              <PropertyGroup><ModulusImageKind>plain</ModulusImageKind></PropertyGroup>
              <PropertyGroup>
                <ContainerRegistry>https://registry.example.com</ContainerRegistry>
              </PropertyGroup>
            </Project>
            """);

        var result = sample.Publish();

        result.ExitCode.ShouldNotBe(0, result.ToString());
        result.Output.ShouldContain($"sample.csproj({sample.LineOf("<ContainerRegistry>")}): error MOD1015:", Case.Sensitive, result.ToString());
    }
}
