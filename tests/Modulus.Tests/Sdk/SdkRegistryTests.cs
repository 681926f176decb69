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
