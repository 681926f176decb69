using System.Text.RegularExpressions;
using Modulus.Oci;
using Modulus.Registry;
using Modulus.Sources;
using Modulus.Tests.Registry;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Sdk;

/// <summary>
/// What `dotnet publish` prints (docs/sdk.md, "What a publish prints"): progress lines at normal
/// verbosity, the start line and the summary at minimal, each phase's time, and errors from
/// properties at the command line or the project's line.
/// </summary>
[NonParallelizable]
public class SdkProgressTests
{
    private const string Times = @"Publish times: resolve \d+\.\d s, download \d+\.\d s, layers \d+\.\d s, validate \d+\.\d s, outputs \d+\.\d s, push \d+\.\d s; \d+\.\d s in all";

    private RegistryServer _registry = null!;

    [OneTimeSetUp]
    public void StartRegistry() => _registry = RegistryServer.Start();

    [OneTimeTearDown]
    public void StopRegistry() => _registry.Dispose();

    [Test]
    public async Task A_cold_publish_shows_progress_for_each_activity_at_normal_verbosity_and_only_the_start_and_summary_at_minimal()
    {
        DebianCache.RequireConfiguredMirror();
        using var kit = new RegistryTestKit();
        using var folder = new TempDirectory("progress-base");
        var store = kit.NewStore();
        var baseImage = BaseImageLoader.Load(ContractBaseImage.Write(folder, "base"), folder.Path, Platform.LinuxAmd64, store);
        await RegistryPusher.PushAsync(baseImage, RegistryTestKit.Reference(_registry.Address, "progress/base", "1.0"), [], store, kit.Options);
        var sample = SdkPackage.Workspace.NewProject($"""
            <Project Sdk="Modulus.Sdk">
              <PropertyGroup>
                <ModulusBaseImage>docker://{_registry.Address}/progress/base:1.0</ModulusBaseImage>
                <ContainerRegistry>{_registry.Address}</ContainerRegistry>
                <ContainerRepository>progress/app</ContainerRepository>
                <!-- A cache of its own: every blob and package is downloaded, as on a new machine. -->
                <ModulusBlobCache>$(MSBuildProjectDirectory)/cache</ModulusBlobCache>
                <ModulusDebianMinimalSystem>false</ModulusDebianMinimalSystem>
              </PropertyGroup>
              <ItemGroup>
                <ModulusDebianPackage Include="netbase" />
                <ModulusFile Include="/srv/motd" Content="hello" />
              </ItemGroup>
            </Project>
            """);

        var cold = sample.PublishWith();

        cold.ExitCode.ShouldBe(0, cold.ToString());
        // The file log is at normal verbosity: a line for each activity, each ending with "done".
        var reference = $"{_registry.Address}/progress/base:1.0";
        cold.Log.ShouldContain($"Publishing image progress/app:latest from docker://{reference} for linux/amd64", Case.Sensitive, cold.ToString());
        cold.Log.ShouldMatch(@"Resolving Debian packages from bookworm: done, 1 packages, [\d.]+ [KMG]?i?B in", cold.ToString());
        cold.Log.ShouldMatch(@"Downloading Debian packages: done, 1 packages, [\d.]+ KiB in", cold.ToString());
        cold.Log.ShouldMatch($@"Downloading base image {Regex.Escape(reference)}: done, 2 blobs, [\d.]+ (B|KiB) in", cold.ToString());
        cold.Log.ShouldContain("Writing layer 'Modulus: Debian packages': done,", Case.Sensitive, cold.ToString());
        cold.Log.ShouldContain("Writing layer 'Modulus: run-image contract': done,", Case.Sensitive, cold.ToString());
        cold.Log.ShouldContain("Writing layer 'Modulus: files of the project': done,", Case.Sensitive, cold.ToString());
        cold.Log.ShouldContain("Writing oci-layout and image.tar: done,", Case.Sensitive, cold.ToString());
        cold.Log.ShouldMatch($@"Pushing {Regex.Escape(_registry.Address)}/progress/app: done, \d blobs,", cold.ToString());
        cold.Log.ShouldMatch($@"Published image progress/app:latest: {sample.ReportedDigest()} \([\d.]+ KiB\)", cold.ToString());
        cold.Log.ShouldMatch(Times, cold.ToString());
        // The console is at minimal verbosity, `dotnet publish`'s default: the start line and the summary only.
        cold.Output.ShouldContain("Publishing image progress/app:latest from", Case.Sensitive, cold.ToString());
        cold.Output.ShouldContain($"Pushed {_registry.Address}/progress/app@{sample.ReportedDigest()}", Case.Sensitive, cold.ToString());
        cold.Output.ShouldContain("Published image progress/app:latest:", Case.Sensitive, cold.ToString());
        cold.Output.ShouldMatch(Times, cold.ToString());
        cold.Output.ShouldNotContain(": done,", Case.Sensitive, cold.ToString());
        cold.Output.ShouldNotContain("Downloading", Case.Sensitive, cold.ToString());

        var again = sample.PublishWith("-v:n");

        again.ExitCode.ShouldBe(0, again.ToString());
        again.Output.ShouldContain($"Image progress/app:latest is up to date: {sample.ReportedDigest()}", Case.Sensitive, again.ToString());
        // modulus-image.json is written again with what was pushed: outputs time, but no layer or download time.
        again.Output.ShouldMatch(@"Publish times: resolve \d+\.\d s, (outputs \d+\.\d s, )?push \d+\.\d s; \d+\.\d s in all", again.ToString());
        again.Output.ShouldNotContain("Downloading", Case.Sensitive, again.ToString());
        again.Output.ShouldNotContain("Writing layer", Case.Sensitive, again.ToString());
    }

    [TestCase("ContainerImageTag", "Bad!Tag", "MOD5011", Description = "a tag")]
    [TestCase("ContainerRepository", "Team/App", "MOD5010", Description = "a repository")]
    [TestCase("ModulusBaseImage", "oci-layout:missing-folder", "MOD2201", Description = "a base image, found when the plan is read")]
    [TestCase("ModulusPlatform", "linux", "MOD2007", Description = "a platform")]
    public void A_bad_property_from_the_command_line_is_an_error_at_the_command_line(string property, string value, string code)
    {
        var sample = PlainProject();

        var result = sample.Publish($"{property}={value}");

        result.ExitCode.ShouldNotBe(0, result.ToString());
        result.Output.ShouldContain($"MSBUILD : error {code}:", Case.Sensitive, result.ToString());
        result.Output.ShouldContain($"(-p:{property} was set on the command line)", Case.Sensitive, result.ToString());
        result.Output.ShouldNotContain("Sdk.targets", Case.Sensitive, result.ToString());
    }

    [TestCase("ContainerImageTag", "Bad!Tag", "MOD5011")]
    [TestCase("ModulusStartCommand", "python3 app.py&#10;rm -rf /", "MOD4082")]
    public void A_bad_property_in_the_project_is_an_error_at_its_line(string property, string value, string code)
    {
        var sample = PlainProject($"<{property}>{value}</{property}>", kind: property == "ModulusStartCommand" ? "run" : "plain");

        var result = sample.Publish();

        result.ExitCode.ShouldNotBe(0, result.ToString());
        result.Output.ShouldContain($"sample.csproj({sample.LineOf($"<{property}>")}): error {code}:", Case.Sensitive, result.ToString());
        result.Output.ShouldNotContain("Sdk.targets", Case.Sensitive, result.ToString());
    }

    private static SampleProject PlainProject(string properties = "", string kind = "plain") => SdkPackage.Workspace.NewProject($"""
        <Project Sdk="Modulus.Sdk">
          <PropertyGroup>
            <ModulusImageKind>{kind}</ModulusImageKind>
            {properties}
          </PropertyGroup>
        </Project>
        """);
}
