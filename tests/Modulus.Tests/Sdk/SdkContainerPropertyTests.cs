using System.Text.Json;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Sdk;

/// <summary>
/// The .NET SDK's container properties in real `dotnet publish` runs: honoured ones read back
/// from the written image, refused ones failing or warning with their code at their line; the
/// generated labels; and the build-time proof of start.
/// </summary>
[NonParallelizable]
public class SdkContainerPropertyTests
{
    private TempDirectory _bases = null!;
    private string _runBase = null!;

    private static SdkWorkspace Workspace => SdkPackage.Workspace;

    [OneTimeSetUp]
    public void WriteBases()
    {
        _bases = new TempDirectory("props-base");
        _runBase = ContractBaseImage.Write(_bases, "run-base");
    }

    [OneTimeTearDown]
    public void RemoveBases() => _bases.Dispose();

    private SampleProject Plain(string properties, string items = "") => Workspace.NewProject($"""
        <Project Sdk="Modulus.Sdk">
          <PropertyGroup>
            <ModulusImageKind>plain</ModulusImageKind>
            <ContainerRepository>tests/props</ContainerRepository>
            {properties}
          </PropertyGroup>
          <ItemGroup>
            <ModulusFile Include="/etc/motd" Content="props" />
            {items}
          </ItemGroup>
        </Project>
        """);

    private SampleProject Run(string properties, string items = "") => Workspace.NewProject($"""
        <Project Sdk="Modulus.Sdk">
          <PropertyGroup>
            <ContainerBaseImage>{_runBase}</ContainerBaseImage>
            {properties}
          </PropertyGroup>
          <ItemGroup>
            {items}
          </ItemGroup>
        </Project>
        """);

    private static JsonElement Config(SampleProject sample) => JsonDocument.Parse(sample.ReadLayoutConfig()).RootElement;

    private static Dictionary<string, string> Labels(SampleProject sample) =>
        Config(sample).GetProperty("config").TryGetProperty("Labels", out var labels)
            ? labels.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!)
            : [];

    [Test]
    public void Honoured_properties_set_the_platform_command_and_labels_and_the_archive_is_written_where_the_dotnet_sdk_writes_it()
    {
        var sample = Plain("""
            <ContainerRuntimeIdentifiers>linux-arm64</ContainerRuntimeIdentifiers>
            <ContainerArchiveOutputPath>archives/</ContainerArchiveOutputPath>
            <ContainerAppCommandInstruction>DefaultArgs</ContainerAppCommandInstruction>
            <ContainerImageFormat>OCI</ContainerImageFormat>
            <Version>2.3.4</Version>
            <Title>Props sample</Title>
            <Description>An image of the property tests.</Description>
            <ContainerVendor>Modulus tests</ContainerVendor>
            """, """
            <ContainerEntrypoint Include="/usr/bin/tini;--" />
            <ContainerAppCommand Include="/app/run" />
            <ContainerDefaultArgs Include="--serve" />
            <ContainerLabel Include="org.opencontainers.image.vendor" Value="explicit vendor" />
            """);

        var result = sample.Publish("SOURCE_DATE_EPOCH=1700000000");

        result.ExitCode.ShouldBe(0, result.ToString());
        var config = Config(sample);
        config.GetProperty("architecture").GetString().ShouldBe("arm64", result.ToString());
        config.GetProperty("config").GetProperty("Entrypoint").EnumerateArray().Select(e => e.GetString()).ShouldBe(["/usr/bin/tini", "--"]);
        config.GetProperty("config").GetProperty("Cmd").EnumerateArray().Select(e => e.GetString()).ShouldBe(["/app/run", "--serve"]);
        var labels = Labels(sample);
        labels["org.opencontainers.image.created"].ShouldBe("2023-11-14T22:13:20Z");
        labels["org.opencontainers.image.created"].ShouldBe(config.GetProperty("created").GetString());
        labels["org.opencontainers.image.version"].ShouldBe("2.3.4");
        labels["org.opencontainers.image.title"].ShouldBe("Props sample");
        labels["org.opencontainers.image.description"].ShouldBe("An image of the property tests.");
        labels["org.opencontainers.image.authors"].ShouldBe("sample");
        labels["org.opencontainers.image.vendor"].ShouldBe("explicit vendor", "a ContainerLabel wins over a generated label");
        labels.ShouldNotContainKey("org.opencontainers.image.base.name", "scratch has no name");
        var archive = Path.Combine(sample.Folder, "archives", "tests", "props.tar.gz");
        File.ReadAllBytes(archive).ShouldBe(File.ReadAllBytes(sample.ArchivePath), result.ToString());
    }

    [Test]
    public void ContainerGenerateLabels_false_writes_no_generated_label_but_keeps_the_projects()
    {
        var sample = Plain("<ContainerGenerateLabels>false</ContainerGenerateLabels><Title>Not written</Title>",
            """<ContainerLabel Include="team" Value="platform" />""");

        var result = sample.Publish();

        result.ExitCode.ShouldBe(0, result.ToString());
        Labels(sample).ShouldBe(new Dictionary<string, string> { ["team"] = "platform" }, result.ToString());
    }

    [Test]
    public void A_derived_image_names_its_base_and_does_not_keep_the_bases_title_and_description()
    {
        var baseProject = Workspace.NewProject("""
            <Project Sdk="Modulus.Sdk">
              <PropertyGroup>
                <ModulusImageKind>plain</ModulusImageKind>
                <ContainerRepository>tests/labeled-base</ContainerRepository>
                <Title>The base</Title>
                <Description>Only the base's own description.</Description>
              </PropertyGroup>
              <ItemGroup><ModulusFile Include="/etc/base" Content="base" /></ItemGroup>
            </Project>
            """, "base");
        var derived = Workspace.NewProject($"""
            <Project Sdk="Modulus.Sdk">
              <PropertyGroup>
                <ModulusImageKind>plain</ModulusImageKind>
                <ContainerRepository>tests/derived</ContainerRepository>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{baseProject.ProjectPath}" />
                <ModulusFile Include="/etc/derived" Content="derived" />
              </ItemGroup>
            </Project>
            """, "derived");

        var result = derived.Publish();

        result.ExitCode.ShouldBe(0, result.ToString());
        Labels(baseProject)["org.opencontainers.image.title"].ShouldBe("The base", result.ToString());
        var labels = Labels(derived);
        labels.ShouldNotContainKey("org.opencontainers.image.title", result.ToString());
        labels.ShouldNotContainKey("org.opencontainers.image.description", result.ToString());
        labels["org.opencontainers.image.authors"].ShouldBe("derived");
        labels["org.opencontainers.image.base.name"].ShouldBe("tests/labeled-base:latest");
        labels["org.opencontainers.image.base.digest"].ShouldBe(baseProject.ReportedDigest());
    }

    [Test]
    public void Source_and_revision_come_from_the_git_repository_with_PublishRepositoryUrl()
    {
        var sample = Plain("<PublishRepositoryUrl>true</PublishRepositoryUrl>");
        Git(sample.Folder, "init", "-q");
        Git(sample.Folder, "remote", "add", "origin", "https://example.com/team/app.git");
        Git(sample.Folder, "add", ".");
        Git(sample.Folder, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "first");
        var revision = Git(sample.Folder, "rev-parse", "HEAD").Trim();

        var result = sample.Publish();

        result.ExitCode.ShouldBe(0, result.ToString());
        var labels = Labels(sample);
        labels["org.opencontainers.image.source"].ShouldBe("https://example.com/team/app", result.ToString());
        labels["org.opencontainers.image.revision"].ShouldBe(revision, result.ToString());
    }

    public static IEnumerable<TestCaseData> Refusals()
    {
        yield return new TestCaseData("<ContainerRuntimeIdentifiers>linux-x64;linux-arm64</ContainerRuntimeIdentifiers><ModulusPlatforms>linux/amd64;linux/arm/v7</ModulusPlatforms>", "", "<ModulusPlatforms>", "error MOD5071", true)
            .SetName("ModulusPlatforms and ContainerRuntimeIdentifiers naming different platforms is MOD5071");
        yield return new TestCaseData("<ModulusPlatforms>linux/amd64;windows/amd64</ModulusPlatforms>", "", "<ModulusPlatforms>", "error MOD5072", true)
            .SetName("A platform that is not Linux is MOD5072");
        yield return new TestCaseData("<ContainerRuntimeIdentifiers>linux-x64;win-x64</ContainerRuntimeIdentifiers>", "", "<ContainerRuntimeIdentifiers>", "error MOD5016", true)
            .SetName("A runtime identifier with no Linux platform in ContainerRuntimeIdentifiers is named at its line");
        yield return new TestCaseData("<ContainerImageFormat>Docker</ContainerImageFormat>", "", "<ContainerImageFormat>", "error MOD5062", true)
            .SetName("ContainerImageFormat Docker is MOD5062");
        yield return new TestCaseData("<LocalRegistry>Podman</LocalRegistry>", "", "<LocalRegistry>", "error MOD5064", true)
            .SetName("LocalRegistry Podman is MOD5064");
        yield return new TestCaseData("<ContainerBaseImage>scratch</ContainerBaseImage><ModulusBaseImage>debian:bookworm</ModulusBaseImage>", "", "<ContainerBaseImage>", "error MOD5065", true)
            .SetName("ContainerBaseImage and a different ModulusBaseImage is MOD5065");
        yield return new TestCaseData("<ContainerAppCommandInstruction>None</ContainerAppCommandInstruction>", """<ContainerAppCommand Include="/app/run" />""", "<ContainerAppCommand ", "error MOD5069", true)
            .SetName("ContainerAppCommand with the instruction None is MOD5069");
        yield return new TestCaseData("<ContainerFamily>noble-chiseled</ContainerFamily>", "", "<ContainerFamily>", "warning MOD5063", false)
            .SetName("ContainerFamily is the no-effect warning MOD5063");
        yield return new TestCaseData("<ContainerImageName>tests/old-name</ContainerImageName>", "", "<ContainerImageName>", "warning MOD5060", false)
            .SetName("ContainerImageName is the obsolete-name warning MOD5060");
        yield return new TestCaseData("<ContainerArchiveOutputPath>out.tar.gz</ContainerArchiveOutputPath><ContainerRegistry>127.0.0.1:9</ContainerRegistry>", "", "<ContainerArchiveOutputPath>", "warning MOD5066", false)
            .SetName("ContainerArchiveOutputPath with ContainerRegistry writes the archive, does not push, and warns MOD5066");
    }

    [Test]
    public void ContainerRuntimeIdentifiers_with_two_identifiers_builds_an_index_over_both_platforms()
    {
        var sample = Plain("<ContainerRuntimeIdentifiers>linux-x64;linux-arm64</ContainerRuntimeIdentifiers>");

        var result = sample.PublishWith("-getProperty:ModulusImageIndexDigest", "-getProperty:ModulusImageDigest");

        result.ExitCode.ShouldBe(0, result.ToString());
        using var report = JsonDocument.Parse(File.ReadAllText(sample.ReportPath));
        var index = report.RootElement.GetProperty("indexDigest").GetString()!;
        result.Output.ShouldContain($"\"ModulusImageIndexDigest\": \"{index}\"", Case.Sensitive, result.ToString());
        result.Output.ShouldContain($"\"ModulusImageDigest\": \"{index}\"", Case.Sensitive, result.ToString());
        report.RootElement.GetProperty("platforms").EnumerateArray().Select(p => p.GetProperty("platform").GetString())
            .ShouldBe(["linux/amd64", "linux/arm64/v8"]);
        File.Exists(Path.Combine(sample.ImageFolder, "image-linux-arm64.tar")).ShouldBeTrue();
    }

    [TestCaseSource(nameof(Refusals))]
    public void A_refused_property_is_named_with_its_code_at_its_line(string properties, string items, string marker, string diagnostic, bool fails)
    {
        var sample = Plain(properties, items);

        var result = sample.Publish();

        result.ExitCode.ShouldBe(fails ? 1 : 0, result.ToString());
        result.Output.ShouldContain($"sample.csproj({sample.LineOf(marker)}): {diagnostic}:", Case.Sensitive, result.ToString());
        result.Output.ShouldNotContain("   at ", Case.Sensitive, result.ToString());
    }

    [Test]
    public void ContainerImageName_names_the_repository()
    {
        var sample = Plain("<ContainerImageName>tests/old-name</ContainerImageName>");

        var result = sample.Publish();

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Log.ShouldContain("Published image tests/old-name:latest", Case.Sensitive, result.ToString());
    }

    public static IEnumerable<TestCaseData> RunImageRefusals()
    {
        yield return new TestCaseData("<ContainerUser>root</ContainerUser>", "", "<ContainerUser>", "MOD5067")
            .SetName("In a run image ContainerUser root is MOD5067");
        yield return new TestCaseData("<ContainerUser>app</ContainerUser>", "", "<ContainerUser>", "MOD5067")
            .SetName("In a run image ContainerUser other than mop is MOD5067");
        yield return new TestCaseData("", """<ContainerAppCommand Include="dotnet;/app/app.dll" />""", "<ContainerAppCommand ", "MOD5068")
            .SetName("In a run image ContainerAppCommand is MOD5068");
    }

    [TestCaseSource(nameof(RunImageRefusals))]
    public void A_run_image_refuses_what_the_standard_decides(string properties, string items, string marker, string code)
    {
        var sample = Run(properties, items);

        var result = sample.Publish();

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Output.ShouldContain($"sample.csproj({sample.LineOf(marker)}): error {code}:", Case.Sensitive, result.ToString());
        Directory.Exists(sample.LayoutPath).ShouldBeFalse(result.ToString());
    }

    [Test]
    public void ContainerUser_mop_is_accepted_in_a_run_image()
    {
        var result = Run("<ContainerUser>mop:444</ContainerUser>").Publish();

        result.ExitCode.ShouldBe(0, result.ToString());
    }

    public static IEnumerable<TestCaseData> StartProofs()
    {
        yield return new TestCaseData("<ModulusStartCommand>gunicorn app:app</ModulusStartCommand>", "", "<ModulusStartCommand>", "MOD4090")
            .SetName("gunicorn app:app without gunicorn in the image fails the build with MOD4090 at the command's line");
        yield return new TestCaseData("<ModulusStartCommand>gunicorn app:app</ModulusStartCommand>",
                """<ModulusFile Include="/usr/local/bin/gunicorn" Content="#!/usr/bin/python3" Mode="0750" />""", "<ModulusStartCommand>", "MOD4092")
            .SetName("A program mop cannot execute fails the build with MOD4092");
        yield return new TestCaseData("<ModulusStartCommand>gunicorn app:app</ModulusStartCommand>",
                """<ModulusFile Include="/usr/local/bin/gunicorn" Content="#!/usr/bin/python3" Mode="0755" />""", null, null)
            .SetName("gunicorn on PATH, executable by mop, builds");
        yield return new TestCaseData("<ModulusStartCommand>PORT=8080 /opt/app/server --port 8080</ModulusStartCommand>",
                """<ModulusFile Include="/opt/app/server" Content="#!/bin/sh" Mode="0755" />""", null, null)
            .SetName("An absolute path in the image builds");
        yield return new TestCaseData("<ModulusStartCommand>/opt/app/server</ModulusStartCommand>",
                """<ModulusFile Include="/opt/app/server" Content="#!/usr/bin/ruby" Mode="0755" />""", "<ModulusStartCommand>", "MOD4093")
            .SetName("A program whose #! interpreter is missing fails the build with MOD4093");
        yield return new TestCaseData("<ModulusStartScript>start.sh</ModulusStartScript>", "", "<ModulusStartScript>", "MOD4094")
            .SetName("A start script whose interpreter is missing fails the build with MOD4094 at the script's line");
    }

    [TestCaseSource(nameof(StartProofs))]
    public void The_start_command_is_proven_at_build_time(string properties, string items, string? marker, string? code)
    {
        var sample = Run(properties, items);
        sample.WriteFile("start.sh", "#!/usr/bin/ruby\nputs 'hi'\n");

        var result = sample.Publish();

        if (code is null)
        {
            result.ExitCode.ShouldBe(0, result.ToString());
            return;
        }
        result.ExitCode.ShouldBe(1, result.ToString());
        result.Output.ShouldContain($"sample.csproj({sample.LineOf(marker!)}): error {code}:", Case.Sensitive, result.ToString());
        result.Output.ShouldContain("error MOD5021:", Case.Sensitive, result.ToString());
        Directory.Exists(sample.LayoutPath).ShouldBeFalse(result.ToString());
    }

    [Test]
    public async Task The_archive_at_ContainerArchiveOutputPath_loads_with_docker_load()
    {
        var docker = Tools.Require("docker");
        using var dockerd = await Dockerd.StartAsync();
        var repository = "tests/archived-" + Guid.NewGuid().ToString("N")[..8];
        var sample = Plain($"<ContainerRepository>{repository}</ContainerRepository><ContainerArchiveOutputPath>out/image.tar.gz</ContainerArchiveOutputPath>");

        var result = sample.Publish();

        result.ExitCode.ShouldBe(0, result.ToString());
        var archive = Path.Combine(sample.Folder, "out", "image.tar.gz");
        var load = Tools.Run(docker, ["-H", dockerd.Host, "load", "-i", archive]);
        load.ExitCode.ShouldBe(0, load.ToString());
        load.StdOut.ShouldContain($"{repository}:latest", Case.Sensitive, load.ToString());
        using var client = dockerd.CreateClient();
        var image = await client.Images.InspectImageAsync($"{repository}:latest");
        using var report = JsonDocument.Parse(File.ReadAllText(sample.ReportPath));
        image.ID.ShouldBe(report.RootElement.GetProperty("configDigest").GetString());
    }

    private static string Git(string folder, params string[] arguments)
    {
        var result = Tools.Run(Tools.Require("git"), arguments, workingDirectory: folder);
        result.ExitCode.ShouldBe(0, result.ToString());
        return result.StdOut;
    }
}
