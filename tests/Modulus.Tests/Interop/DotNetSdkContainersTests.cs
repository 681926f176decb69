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
    private void PublishAppWithTheNetSdk(string baseImage)
    {
        _app.WriteFile("interopapp.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <UseAppHost>false</UseAppHost>
              </PropertyGroup>
            </Project>
            """);
        _app.WriteFile("Program.cs", "System.Console.WriteLine(System.IO.File.ReadAllText(\"/etc/modulus-base.txt\"));\n");
        _app.WriteFile("nuget.config", "<configuration><packageSources><clear /></packageSources></configuration>\n");
        var environment = _workspace.Environment();
        environment["NUGET_PACKAGES"] = _app.Combine("packages");
        // The .NET SDK speaks plain HTTP only to registries listed here; it does not treat 127.0.0.1 as local.
        environment["DOTNET_CONTAINER_INSECURE_REGISTRIES"] = _registry.Address;

        var clock = Stopwatch.StartNew();
        var result = Tools.Run("dotnet",
            ["publish", _app.Combine("interopapp.csproj"), "-nodeReuse:false", "-nologo", "-t:PublishContainer",
             "-p:EnableSdkContainerSupport=true", $"-p:ContainerBaseImage={baseImage}", $"-p:ContainerRegistry={_registry.Address}",
             "-p:ContainerRepository=interop/app", "-p:ContainerRuntimeIdentifier=linux-x64", "-p:RuntimeIdentifier=linux-x64",
             "-p:SelfContained=false"],
            TimeSpan.FromMinutes(3), _app.Path, environment);
        TestContext.Out.WriteLine($".NET SDK PublishContainer of the app on the Modulus base: {clock.Elapsed.TotalSeconds:0.0} s");

        if (result.ExitCode == 0) return;
        var sdkVersion = Tools.Run("dotnet", ["--version"], TimeSpan.FromMinutes(1), _app.Path, environment).StdOut.Trim();
        Assert.Fail($"The container support of the installed .NET SDK {sdkVersion} (Microsoft.NET.Build.Containers) could not "
            + $"publish an app on the Modulus base image {baseImage}. If the output says the PublishContainer target does not "
            + $"exist or a pack is missing, that SDK lacks what this test needs:\n{result}");
    }
}
