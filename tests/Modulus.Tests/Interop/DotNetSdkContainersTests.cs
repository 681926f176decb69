using System.Diagnostics;
using System.Text.Json;
using Modulus.Images;
using Modulus.Layers;
using Modulus.Oci;
using Modulus.Registry;
using Modulus.Tests.Registry;
using Modulus.Tests.Sdk;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Interop;

/// <summary>
/// A .NET console app published by the .NET SDK's own container support (Microsoft.NET.Build.Containers,
/// part of the installed SDK) on top of a base image that Modulus.Sdk pushed to a real registry.
/// </summary>
/// <remarks>
/// The app is framework-dependent (<c>SelfContained=false</c>) with <c>UseAppHost=false</c>: its
/// <c>linux-x64</c> restore then needs no runtime or apphost pack, so an empty package cache and a
/// nuget.config without sources suffice. A failure of the .NET SDK's side fails the test, also when
/// the cause is the installed SDK, because a silent skip would hide that the interop is unproven.
/// </remarks>
[NonParallelizable]
public class DotNetSdkContainersTests
{
    private const string BaseFile = "/etc/modulus-base.txt";
    private const string BaseFileContent = "built by Modulus";
    private const string BaseLabel = "org.example.base";

    private RegistryServer _registry = null!;
    private SdkWorkspace _workspace = null!;
    private TempDirectory _app = null!;

    [OneTimeSetUp]
    public void SetUp()
    {
        _registry = RegistryServer.Start();
        _workspace = new SdkWorkspace();
        _app = new TempDirectory("dotnet-app");
    }

    [OneTimeTearDown]
    public void TearDown()
    {
        _app.Dispose();
        _workspace.Dispose();
        _registry.Dispose();
    }

    [Test]
    public async Task The_NET_SDK_PublishContainer_builds_an_app_on_a_Modulus_base_image()
    {
        var skopeo = Tools.Require("skopeo");
        var (baseDigest, baseLayers) = PublishBaseWithModulus();
        PublishAppWithTheNetSdk($"{_registry.Address}/interop/base:1.0");

        var inspect = Tools.RunChecked(skopeo, ["inspect", "--tls-verify=false", $"docker://{_registry.Address}/interop/app:latest"]);
        using var app = JsonDocument.Parse(inspect.StdOut);
        var appLayers = app.RootElement.GetProperty("Layers").EnumerateArray().Select(l => l.GetString()!).ToArray();
        appLayers.Length.ShouldBe(baseLayers.Count + 1, inspect.StdOut);
        appLayers.Take(baseLayers.Count).ShouldBe(baseLayers, "the app image starts with the Modulus base's layers, in order");
        var labels = app.RootElement.GetProperty("Labels");
        labels.GetProperty(BaseLabel).GetString().ShouldBe("modulus", inspect.StdOut);
        labels.GetProperty("org.opencontainers.image.base.digest").GetString().ShouldBe(baseDigest, inspect.StdOut);

        using var kit = new RegistryTestKit();
        var pulled = await RegistryImageSource.PullAsync(RegistryTestKit.Reference(_registry.Address, "interop/app"), Platform.LinuxAmd64, kit.NewStore(), kit.Options);
        pulled.Config.Entrypoint.ShouldBe(["dotnet", "/app/interopapp.dll"]);
        var fileSystem = ImageFileSystem.Read(pulled.Layers);
        System.Text.Encoding.UTF8.GetString(fileSystem.ReadFile(UnixPath.Parse(BaseFile)) ?? []).ShouldBe(BaseFileContent);
        fileSystem.Get(UnixPath.Parse("/app/interopapp.dll")).ShouldNotBeNull().LayerIndex.ShouldBe(baseLayers.Count, "the app's files are in the layer the .NET SDK added");
    }

    [Test]
    public void The_NET_SDK_builds_a_multi_platform_app_on_a_multi_platform_Modulus_base_choosing_each_platforms_image()
    {
        var skopeo = Tools.Require("skopeo");
        var sample = _workspace.NewProject($"""
            <Project Sdk="Modulus.Sdk">
              <PropertyGroup>
                <ModulusImageKind>plain</ModulusImageKind>
                <ModulusPlatforms>linux/amd64;linux/arm64</ModulusPlatforms>
                <ContainerRegistry>{_registry.Address}</ContainerRegistry>
                <ContainerRepository>interop/multibase</ContainerRepository>
                <ContainerImageTag>1.0</ContainerImageTag>
              </PropertyGroup>
              <ItemGroup>
                <ModulusFile Include="{BaseFile}" Content="{BaseFileContent}" />
              </ItemGroup>
            </Project>
            """, "multibase");
        var pushed = sample.PublishContainer();
        pushed.ExitCode.ShouldBe(0, pushed.ToString());
        using var report = JsonDocument.Parse(File.ReadAllText(sample.ReportPath));
        var baseLayers = report.RootElement.GetProperty("platforms").EnumerateArray().ToDictionary(
            p => p.GetProperty("platform").GetString()!.Split('/')[1],
            p => p.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()!).ToArray());
        // The .NET SDK refuses a base whose index lacks a runtime identifier's platform, so its
        // success says it found both images in Modulus's index.

        PublishAppWithTheNetSdk($"{_registry.Address}/interop/multibase:1.0", "interop/multiapp",
            "<RuntimeIdentifiers>linux-x64;linux-arm64</RuntimeIdentifiers><ContainerRuntimeIdentifiers>linux-x64;linux-arm64</ContainerRuntimeIdentifiers>");

        var raw = Tools.RunChecked(skopeo, ["inspect", "--raw", "--tls-verify=false", $"docker://{_registry.Address}/interop/multiapp:latest"]).StdOut;
        using var index = JsonDocument.Parse(raw);
        string.Join(",", index.RootElement.GetProperty("manifests").EnumerateArray()
            .Select(m => m.GetProperty("platform").GetProperty("architecture").GetString()).Order(StringComparer.Ordinal))
            .ShouldBe("amd64,arm64", raw);
        foreach (var architecture in new[] { "amd64", "arm64" })
        {
            var inspect = Tools.RunChecked(skopeo, ["--override-arch", architecture, "inspect", "--tls-verify=false", $"docker://{_registry.Address}/interop/multiapp:latest"]).StdOut;
            using var app = JsonDocument.Parse(inspect);
            app.RootElement.GetProperty("Architecture").GetString().ShouldBe(architecture, inspect);
            app.RootElement.GetProperty("Layers").EnumerateArray().Select(l => l.GetString()!).Take(baseLayers[architecture].Length)
                .ShouldBe(baseLayers[architecture], $"the {architecture} app image starts with the Modulus base's {architecture} layers");
        }
    }

    /// <summary>Pushes a plain scratch image with one file and a label as interop/base:1.0; returns its manifest and layer digests.</summary>
    private (string Digest, IReadOnlyList<string> Layers) PublishBaseWithModulus()
    {
        var sample = _workspace.NewProject($"""
            <Project Sdk="Modulus.Sdk">
              <PropertyGroup><ModulusImageKind>plain</ModulusImageKind></PropertyGroup>
              <PropertyGroup>
                <ContainerRegistry>{_registry.Address}</ContainerRegistry>
                <ContainerRepository>interop/base</ContainerRepository>
                <ContainerImageTag>1.0</ContainerImageTag>
              </PropertyGroup>
              <ItemGroup>
                <ModulusFile Include="{BaseFile}" Content="{BaseFileContent}" />
                <ContainerLabel Include="{BaseLabel}" Value="modulus" />
              </ItemGroup>
            </Project>
            """, "modulusbase");

        var clock = Stopwatch.StartNew();
        var result = sample.PublishContainer();
        TestContext.Out.WriteLine($"Modulus.Sdk publish and push of the base image: {clock.Elapsed.TotalSeconds:0.0} s");

        result.ExitCode.ShouldBe(0, result.ToString());
        using var report = JsonDocument.Parse(File.ReadAllText(sample.ReportPath));
        var layers = report.RootElement.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()!).ToArray();
        layers.ShouldNotBeEmpty();
        return (result.PropertyValue!, layers);
    }

    /// <summary>`dotnet publish -t:PublishContainer` of a console app with the .NET SDK alone, pushing interop/app:latest.</summary>
    /// <param name="platforms">The app's runtime identifier properties, else linux-x64 alone from the command line.</param>
    private void PublishAppWithTheNetSdk(string baseImage, string repository = "interop/app", string platforms = "")
    {
        _app.WriteFile("interopapp.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <UseAppHost>false</UseAppHost>
                {platforms}
              </PropertyGroup>
            </Project>
            """);
        _app.WriteFile("Program.cs", "System.Console.WriteLine(System.IO.File.ReadAllText(\"/etc/modulus-base.txt\"));\n");
        var environment = _workspace.Environment();
        if (platforms.Length == 0)
        {
            _app.WriteFile("nuget.config", "<configuration><packageSources><clear /></packageSources></configuration>\n");
            environment["NUGET_PACKAGES"] = _app.Combine("packages");
        }
        else
        {
            // RuntimeIdentifiers makes restore fetch each identifier's runtime and host packs, from
            // the machine's own NuGet sources, into a cache kept across runs.
            File.Delete(_app.Combine("nuget.config"));
            environment["NUGET_PACKAGES"] = Path.Combine(Path.GetTempPath(), "modulus-tests", "nuget-interop");
        }
        // The .NET SDK speaks plain HTTP only to registries listed here; it does not treat 127.0.0.1 as local.
        environment["DOTNET_CONTAINER_INSECURE_REGISTRIES"] = _registry.Address;

        var clock = Stopwatch.StartNew();
        var result = Tools.Run("dotnet",
            ["publish", _app.Combine("interopapp.csproj"), "-nodeReuse:false", "-nologo", "-t:PublishContainer",
             "-p:EnableSdkContainerSupport=true", $"-p:ContainerBaseImage={baseImage}", $"-p:ContainerRegistry={_registry.Address}",
             $"-p:ContainerRepository={repository}", "-p:SelfContained=false",
             .. platforms.Length > 0 ? [] : new[] { "-p:ContainerRuntimeIdentifier=linux-x64", "-p:RuntimeIdentifier=linux-x64" }],
            TimeSpan.FromMinutes(3), _app.Path, environment);
        TestContext.Out.WriteLine($".NET SDK PublishContainer of the app on the Modulus base: {clock.Elapsed.TotalSeconds:0.0} s");

        if (result.ExitCode == 0) return;
        var sdkVersion = Tools.Run("dotnet", ["--version"], TimeSpan.FromMinutes(1), _app.Path, environment).StdOut.Trim();
        Assert.Fail($"The container support of the installed .NET SDK {sdkVersion} (Microsoft.NET.Build.Containers) could not "
            + $"publish an app on the Modulus base image {baseImage}. If the output says the PublishContainer target does not "
            + $"exist or a pack is missing, that SDK lacks what this test needs:\n{result}");
    }
}
