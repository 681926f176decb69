using Modulus.Tests.Sdk;

namespace Modulus.Tests.DotNet;

/// <summary>
/// `dotnet publish` of projects with ModulusDotnetRuntime items: restore downloads the real runtime
/// packs from the machine's NuGet sources (the project names none); wrong items fail at their line
/// before anything is downloaded.
/// </summary>
[NonParallelizable]
[Category("Network")]
public class SdkDotnetRuntimeTests
{
    private SdkWorkspace _workspace = null!;

    [OneTimeSetUp]
    public void Pack() => _workspace = new SdkWorkspace(machineSources: true);

    [OneTimeTearDown]
    public void Remove() => _workspace.Dispose();

    private static string Project(string items) => $"""
        <Project Sdk="Modulus.Sdk">
          <PropertyGroup>
            <ModulusImageKind>plain</ModulusImageKind>
            <ContainerRepository>tests/dotnet-runtime</ContainerRepository>
          </PropertyGroup>
          <ItemGroup>
            {items}
          </ItemGroup>
        </Project>
        """;

    [Test]
    public void A_plain_image_gets_the_runtime_and_the_dotnet_command_in_layers_of_their_own()
    {
        // Both items ask for Microsoft.NETCore.App 10.0.12: restore gets one PackageDownload of it.
        var sample = _workspace.NewProject(Project("""
            <ModulusDotnetRuntime Include="Microsoft.NETCore.App" Version="10.0.12" />
                <ModulusDotnetRuntime Include="Microsoft.AspNetCore.App" Version="10.0.12" />
            """));

        var result = sample.Publish();

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Output.ShouldNotContain("warning", Case.Insensitive, result.ToString());
        sample.LayerDigests().Count.ShouldBe(2, result.ToString());
        sample.ReadTopLayer().ShouldBe(
            [("usr", 0b111_101_101, 0, 0), ("usr/bin", 0b111_101_101, 0, 0), ("usr/bin/dotnet", 0b111_111_111, 0, 0),
             ("usr/share", 0b111_101_101, 0, 0), ("usr/share/dotnet", 0b111_101_101, 0, 0), ("usr/share/dotnet/dotnet", 0b111_101_101, 0, 0)],
            ignoreOrder: true, result.ToString());
    }

    [Test]
    public void Each_platform_of_a_multi_platform_image_gets_the_runtimes_of_its_architecture_that_are_for_it()
    {
        // ASP.NET Core for linux/amd64 alone, as an image does when a release has no pack for the
        // other architecture yet: restore must not ask for the linux-arm64 pack at all.
        var sample = _workspace.NewProject(Project("""
            <ModulusDotnetRuntime Include="Microsoft.NETCore.App" Version="10.0.12" />
                <ModulusDotnetRuntime Include="Microsoft.AspNetCore.App" Version="10.0.12" Platforms="linux/amd64" />
            """).Replace("</ContainerRepository>", "</ContainerRepository><ModulusPlatforms>linux/amd64;linux/arm64</ModulusPlatforms>"));

        var result = sample.Publish();

        result.ExitCode.ShouldBe(0, result.ToString());
        using var report = System.Text.Json.JsonDocument.Parse(File.ReadAllText(sample.ReportPath));
        var machines = report.RootElement.GetProperty("platforms").EnumerateArray().Select(p =>
        {
            // ELF e_machine, little-endian at offset 18: 62 is x86-64, 183 AArch64.
            var host = sample.ReadImageFileBytes("usr/share/dotnet/host/fxr/10.0.12/libhostfxr.so", p.GetProperty("manifestDigest").GetString()!);
            return (p.GetProperty("platform").GetString(), BitConverter.ToUInt16(host, 18));
        }).ToArray();
        machines.ShouldBe([("linux/amd64", (ushort)62), ("linux/arm64", (ushort)183)], result.ToString());
        var aspNetCore = report.RootElement.GetProperty("platforms").EnumerateArray().Select(p =>
        {
            try
            {
                sample.ReadImageFileBytes("usr/share/dotnet/shared/Microsoft.AspNetCore.App/10.0.12/Microsoft.AspNetCore.dll", p.GetProperty("manifestDigest").GetString()!);
                return true;
            }
            catch (FileNotFoundException)
            {
                return false;
            }
        }).ToArray();
        aspNetCore.ShouldBe([true, false], result.ToString());
        Directory.Exists(Path.Combine(_workspace.Packages, "microsoft.aspnetcore.app.runtime.linux-x64", "10.0.12")).ShouldBeTrue();
        Directory.Exists(Path.Combine(_workspace.Packages, "microsoft.aspnetcore.app.runtime.linux-arm64", "10.0.12")).ShouldBeFalse();
    }

    public static IEnumerable<TestCaseData> WrongItems()
    {
        yield return new TestCaseData("""<ModulusDotnetRuntime Include="Microsoft.AspNetCore.App" Version="10" />""", "MOD3201").SetName("A version that is not exact fails at its item");
        yield return new TestCaseData("""<ModulusDotnetRuntime Include="Microsoft.AspNetCore.App" />""", "MOD3201").SetName("A missing version fails at its item");
        yield return new TestCaseData("""<ModulusDotnetRuntime Include="Microsoft.WindowsDesktop.App" Version="10.0.12" />""", "MOD3200").SetName("A framework Modulus cannot install fails at its item");
        yield return new TestCaseData("""<ModulusDotnetRuntime Include="Microsoft.NETCore.App" Version="10.0.12" Platforms="linux/amd46" />""", "MOD3207").SetName("A platform without runtime packs in Platforms fails at its item");
    }

    [TestCaseSource(nameof(WrongItems))]
    public void Wrong_items_fail_at_their_line_not_in_restore(string item, string code)
    {
        var sample = _workspace.NewProject(Project(item));

        var result = sample.Publish();

        result.ExitCode.ShouldNotBe(0, result.ToString());
        result.Output.ShouldContain($"{sample.ProjectPath}({sample.LineOf("ModulusDotnetRuntime")}", Case.Sensitive, result.ToString());
        result.Output.ShouldContain($"error {code}:", Case.Sensitive, result.ToString());
        result.Output.ShouldNotContain("NU1", Case.Sensitive, result.ToString());
    }
}
