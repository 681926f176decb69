using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Sdk;

/// <summary>
/// `dotnet publish` of real Modulus.Sdk projects, the way a user runs it. Each assertion prints the
/// whole build log when it fails.
/// </summary>
[NonParallelizable]
public class SdkPublishTests
{
    private const string Project = """
        <Project Sdk="Modulus.Sdk">
          <PropertyGroup><ModulusImageKind>plain</ModulusImageKind></PropertyGroup>
          <PropertyGroup>
            <ContainerRepository>tests/sample</ContainerRepository>
            <ContainerImageTags>1.0;latest</ContainerImageTags>
            <ContainerWorkingDirectory>/srv</ContainerWorkingDirectory>
          </PropertyGroup>
          <ItemGroup>
            <ModulusFile Include="hello.txt" Destination="/srv/" Mode="0644" />
            <ModulusFile Include="/etc/motd" Content="inline text" />
            <ModulusDirectory Include="/var/lib/sample" Mode="0750" Owner="1000:1000" />
            <ModulusSymlink Include="/srv/greeting.txt" LinkTarget="hello.txt" />
            <ContainerEnvironmentVariable Include="GREETING" Value="hello" />
            <ContainerLabel Include="org.opencontainers.image.title" Value="sample" />
            <ContainerPort Include="8080" Type="udp" />
            <ContainerAppCommand Include="/bin/cat" />
            <ContainerDefaultArgs Include="/srv/hello.txt" />
          </ItemGroup>
        </Project>
        """;

    private static SdkWorkspace Workspace => SdkPackage.Workspace;

    private SampleProject NewSample()
    {
        var sample = Workspace.NewProject(Project);
        sample.WriteFile("hello.txt", "hello\n");
        return sample;
    }

    [Test]
    public void Publish_writes_the_layout_the_tar_and_a_report_whose_digest_msbuild_returns()
    {
        var sample = NewSample();

        var result = sample.Publish();

        result.ExitCode.ShouldBe(0, result.ToString());
        File.Exists(Path.Combine(sample.LayoutPath, "index.json")).ShouldBeTrue(result.ToString());
        File.Exists(Path.Combine(sample.LayoutPath, "oci-layout")).ShouldBeTrue(result.ToString());
        File.Exists(sample.ArchivePath).ShouldBeTrue(result.ToString());
        File.Exists(Path.Combine(sample.ImageFolder, "image.html")).ShouldBeTrue("every publish writes the image report");
        var digest = sample.ReportedDigest();
        digest.ShouldStartWith("sha256:");
        result.PropertyValue.ShouldBe(digest, result.ToString());
        result.Log.ShouldContain($"Published image tests/sample:1.0,latest: {digest}", Case.Sensitive, result.ToString());
        var config = sample.ReadLayoutConfig();
        foreach (var expected in new[]
        {
            "\"GREETING=hello\"", "\"org.opencontainers.image.title\":\"sample\"", "\"8080/udp\"", "\"WorkingDir\":\"/srv\"",
            "\"Entrypoint\":[\"/bin/cat\"]", "\"Cmd\":[\"/srv/hello.txt\"]",
        })
            config.ShouldContain(expected, Case.Sensitive, config);
        File.ReadAllText(Path.Combine(sample.LayoutPath, "index.json")).ShouldContain("\"1.0\"");
    }

    [Test]
    public void ModulusImageReport_false_writes_no_image_report()
    {
        var sample = NewSample();

        var result = sample.Publish("ModulusImageReport=false");

        result.ExitCode.ShouldBe(0, result.ToString());
        File.Exists(sample.ArchivePath).ShouldBeTrue(result.ToString());
        File.Exists(Path.Combine(sample.ImageFolder, "image.html")).ShouldBeFalse();
        File.ReadAllText(sample.ReportPath).ShouldNotContain("reportPath");
    }

    [Test]
    public void A_second_publish_with_nothing_changed_is_up_to_date_and_rewrites_nothing()
    {
        var sample = NewSample();
        var first = sample.Publish();
        first.ExitCode.ShouldBe(0, first.ToString());
        var archiveWritten = File.GetLastWriteTimeUtc(sample.ArchivePath);

        var second = sample.Publish();

        second.ExitCode.ShouldBe(0, second.ToString());
        second.Log.ShouldContain("is up to date", Case.Sensitive, second.ToString());
        second.Log.ShouldNotContain("Writing a layer", Case.Sensitive, second.ToString());
        File.GetLastWriteTimeUtc(sample.ArchivePath).ShouldBe(archiveWritten, second.ToString());
        second.PropertyValue.ShouldBe(first.PropertyValue, second.ToString());
    }

    [Test]
    public void Changing_a_file_changes_the_digest()
    {
        var sample = NewSample();
        var first = sample.Publish();
        first.ExitCode.ShouldBe(0, first.ToString());

        sample.WriteFile("hello.txt", "hello, changed\n");
        var second = sample.Publish();

        second.ExitCode.ShouldBe(0, second.ToString());
        second.Log.ShouldNotContain("is up to date", Case.Sensitive, second.ToString());
        second.PropertyValue.ShouldNotBe(first.PropertyValue, second.ToString());
    }

    [Test]
    public void Two_clean_publishes_of_the_same_inputs_give_the_same_digest()
    {
        var one = NewSample();
        var other = NewSample();

        var first = one.Publish();
        var second = other.Publish();

        first.ExitCode.ShouldBe(0, first.ToString());
        second.ExitCode.ShouldBe(0, second.ToString());
        second.PropertyValue.ShouldBe(first.PropertyValue, $"{first}\n{second}");
    }

    [Test]
    public void An_image_on_a_published_base_takes_owner_names_and_folders_from_the_base()
    {
        var baseImage = Workspace.NewProject("""
            <Project Sdk="Modulus.Sdk">
              <PropertyGroup><ModulusImageKind>plain</ModulusImageKind></PropertyGroup>
              <ItemGroup>
                <ModulusFile Include="/etc/passwd" Content="root:x:0:0:root:/root:/bin/sh&#10;app:x:1000:1001::/srv:/bin/sh&#10;" />
                <ModulusFile Include="/etc/group" Content="root:x:0:&#10;staff:x:1001:&#10;" />
                <ModulusDirectory Include="/srv" Mode="0750" Owner="1000:1001" />
              </ItemGroup>
            </Project>
            """, "base");
        var published = baseImage.Publish();
        published.ExitCode.ShouldBe(0, published.ToString());
        var app = Workspace.NewProject($"""
            <Project Sdk="Modulus.Sdk">
              <PropertyGroup><ModulusImageKind>plain</ModulusImageKind></PropertyGroup>
              <PropertyGroup>
                <ModulusBaseImage>oci-layout:{baseImage.LayoutPath}</ModulusBaseImage>
              </PropertyGroup>
              <ItemGroup>
                <ModulusFile Include="/srv/data.txt" Content="data" Owner="app" />
              </ItemGroup>
            </Project>
            """, "app");

        var result = app.Publish();

        result.ExitCode.ShouldBe(0, result.ToString());
        var layer = app.ReadTopLayer();
        layer.ShouldContain(("srv", 0b111_101_000, 1000, 1001), result.ToString());
        layer.ShouldContain(("srv/data.txt", 0b110_100_100, 1000, 1001), result.ToString());
    }

    [Test]
    public void An_empty_project_builds_no_assembly()
    {
        var sample = Workspace.NewProject("""<Project Sdk="Modulus.Sdk" />""");

        var result = sample.Build();

        result.ExitCode.ShouldBe(0, result.ToString());
        Directory.EnumerateFiles(sample.Folder, "*.dll", SearchOption.AllDirectories).ShouldBeEmpty(result.ToString());
    }

    public static IEnumerable<TestCaseData> BrokenProjects()
    {
        yield return new TestCaseData("MOD5004", """<ModulusFile Include="hello.txt" Destination="/opt/" Mode="0999" />""", "Mode=\"0999\"")
            .SetName("A bad Mode fails with MOD5004 at its item, told apart from another item of the same file");
        yield return new TestCaseData("MOD5005", """<ModulusFile Include="conf/*.json" Destination="/etc/" Owner="a:b:c" />""", "conf/*.json")
            .SetName("A bad Owner on a glob fails with MOD5005 at the glob");
        yield return new TestCaseData("MOD5002", """<ModulusFile Include="missing.txt" Destination="/srv/" />""", "missing.txt")
            .SetName("A missing file fails with MOD5002 at its item");
        yield return new TestCaseData("MOD5070", """<ModulusFile Include="/dev/zero" Destination="/srv/zero" />""", "/dev/zero")
            .SetName("A device as a ModulusFile fails with MOD5070 at its item instead of reading forever");
        yield return new TestCaseData("MOD5090", """<ModulusFile Include="conf" Destination="/etc/" />""", "Include=\"conf\"")
            .SetName("A folder as a ModulusFile fails with MOD5090 at its item");
        yield return new TestCaseData("MOD5001", """</ItemGroup><PropertyGroup><ModulusBaseImage>ftp://nowhere</ModulusBaseImage></PropertyGroup><ItemGroup>""", "ModulusBaseImage")
            .SetName("A bad base image fails with MOD5001 at its property");
    }

    [TestCaseSource(nameof(BrokenProjects))]
    public void A_broken_project_fails_with_its_code_file_and_line(string code, string declaration, string marker)
    {
        var sample = Workspace.NewProject($"""
            <Project Sdk="Modulus.Sdk">
              <PropertyGroup><ModulusImageKind>plain</ModulusImageKind></PropertyGroup>
              <ItemGroup>
                <ModulusFile Include="hello.txt" Destination="/srv/" />
              </ItemGroup>
              <ItemGroup>
                {declaration}
              </ItemGroup>
            </Project>
            """);
        sample.WriteFile("hello.txt", "hello\n");
        sample.WriteFile("conf/app.json", "{}");
        var line = sample.LineOf(marker);

        var result = sample.Publish();

        result.ExitCode.ShouldNotBe(0, result.ToString());
        result.Output.ShouldContain($"{sample.ProjectPath}({line}", Case.Sensitive, result.ToString());
        result.Output.ShouldContain($"error {code}:", Case.Sensitive, result.ToString());
    }

    /// <summary>
    /// A FIFO in a folder whose files a ModulusFile takes: opening it would wait for a writer
    /// forever. A glob names it as one of its files (MOD5070, never opened); a folder include is
    /// refused as a folder (MOD5090) before anything in it is looked at.
    /// </summary>
    [TestCase("conf/**", "MOD5070", TestName = "A FIFO among a globbed folder's files fails with MOD5070 at the glob instead of hanging")]
    [TestCase("conf", "MOD5090", TestName = "A folder include holding a FIFO fails with MOD5090 at its item instead of hanging")]
    [CancelAfter(300_000)]
    public void A_fifo_in_a_ModulusFile_folder_is_refused_without_opening_it(string include, string code)
    {
        var sample = Workspace.NewProject($"""
            <Project Sdk="Modulus.Sdk">
              <PropertyGroup><ModulusImageKind>plain</ModulusImageKind></PropertyGroup>
              <ItemGroup>
                <ModulusFile Include="{include}" Destination="/etc/app/" />
              </ItemGroup>
            </Project>
            """);
        sample.WriteFile("conf/app.json", "{}");
        Bounded.MakeFifo(Path.Combine(sample.Folder, "conf", "pipe"));
        var line = sample.LineOf($"Include=\"{include}\"");

        var result = Bounded.Within(TimeSpan.FromMinutes(4), () => sample.Publish());

        result.ExitCode.ShouldNotBe(0, result.ToString());
        result.Output.ShouldContain($"{sample.ProjectPath}({line}", Case.Sensitive, result.ToString());
        result.Output.ShouldContain($"error {code}:", Case.Sensitive, result.ToString());
        if (code == "MOD5070") result.Output.ShouldContain("a FIFO", Case.Sensitive, result.ToString());
        Directory.Exists(sample.LayoutPath).ShouldBeFalse(result.ToString());
    }

    [Test]
    public void Every_bad_input_of_a_project_is_reported_at_its_line_in_one_build_and_nothing_is_written()
    {
        var sample = Workspace.NewProject("""
            <Project Sdk="Modulus.Sdk">
              <PropertyGroup><ModulusImageKind>plain</ModulusImageKind></PropertyGroup>
              <PropertyGroup>
                <ContainerImageTags>1.0;Bad!Tag</ContainerImageTags>
                <ContainerRepository>Not A Repository</ContainerRepository>
              </PropertyGroup>
              <ItemGroup>
                <ModulusFile Include="hello.txt" Destination="/srv/" Mode="0999" />
                <ModulusDirectory Include="/data" Owner="a:b:c" />
                <ModulusFile Include="/etc/motd" Content="first" />
                <ModulusFile Include="/etc/motd" Content="second" />
              </ItemGroup>
            </Project>
            """);
        sample.WriteFile("hello.txt", "hello\n");

        var result = sample.Publish();

        result.ExitCode.ShouldNotBe(0, result.ToString());
        foreach (var (code, marker) in new[] { ("MOD5011", "Bad!Tag"), ("MOD5010", "Not A Repository"), ("MOD5004", "Mode=\"0999\""), ("MOD5005", "a:b:c"), ("MOD5006", "Content=\"second\"") })
            result.Output.ShouldContain($"{sample.ProjectPath}({sample.LineOf(marker)}): error {code}:", Case.Sensitive, result.ToString());
        Directory.Exists(sample.LayoutPath).ShouldBeFalse(result.ToString());
        File.Exists(sample.ArchivePath).ShouldBeFalse(result.ToString());
        File.Exists(sample.ReportPath).ShouldBeFalse(result.ToString());
    }
}
