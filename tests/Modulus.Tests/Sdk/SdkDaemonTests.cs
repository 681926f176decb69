using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Sdk;

/// <summary>`dotnet publish` with ModulusLoadIntoDaemon against a real dockerd.</summary>
[NonParallelizable]
public class SdkDaemonTests
{
    private Dockerd _dockerd = null!;

    [OneTimeSetUp]
    public async Task StartTheDaemon() => _dockerd = await Dockerd.StartAsync();

    [OneTimeTearDown]
    public void StopTheDaemon() => _dockerd?.Dispose();

    [Test]
    public async Task Publish_loads_the_image_into_the_daemon_when_asked()
    {
        var repository = "tests/loaded-" + Guid.NewGuid().ToString("N")[..8];
        var sample = SdkPackage.Workspace.NewProject($"""
            <Project Sdk="Modulus.Sdk">
              <PropertyGroup><ModulusImageKind>plain</ModulusImageKind></PropertyGroup>
              <PropertyGroup>
                <ContainerRepository>{repository}</ContainerRepository>
                <ModulusLoadIntoDaemon>true</ModulusLoadIntoDaemon>
                <ModulusDockerHost>{_dockerd.Host}</ModulusDockerHost>
              </PropertyGroup>
              <ItemGroup>
                <ModulusFile Include="/etc/motd" Content="loaded" />
              </ItemGroup>
            </Project>
            """);

        var result = sample.Publish();

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Log.ShouldContain($"Loaded image {repository}:latest into the Docker daemon", Case.Sensitive, result.ToString());
        using var client = _dockerd.CreateClient();
        var image = await client.Images.InspectImageAsync($"{repository}:latest");
        using var report = System.Text.Json.JsonDocument.Parse(File.ReadAllText(sample.ReportPath));
        image.ID.ShouldBe(report.RootElement.GetProperty("configDigest").GetString(), result.ToString());
    }
}
