using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Sdk;

/// <summary>
/// `dotnet publish` of run images: the contract layer and config on a base that has what the
/// standard needs, and a project breaking one rule failing with that rule's code before any
/// output is written.
/// </summary>
[NonParallelizable]
public class SdkContractTests
{
    private TempDirectory _bases = null!;
    private string _runBase = null!;
    private string _baseWithoutSupervisord = null!;

    private static SdkWorkspace Workspace => SdkPackage.Workspace;

    [OneTimeSetUp]
    public void WriteBases()
    {
        _bases = new TempDirectory("run-base");
        _runBase = ContractBaseImage.Write(_bases, "run-base");
        _baseWithoutSupervisord = ContractBaseImage.Write(_bases, "no-supervisord", "/usr/bin/supervisord");
    }

    [OneTimeTearDown]
    public void RemoveBases() => _bases.Dispose();

    private SampleProject RunProject(string body, string? baseImage = null) => Workspace.NewProject($"""
        <Project Sdk="Modulus.Sdk">
          <PropertyGroup>
            <ModulusBaseImage>{baseImage ?? _runBase}</ModulusBaseImage>
          </PropertyGroup>
          {body}
        </Project>
        """);

    [Test]
    public void A_default_project_is_a_run_image_with_the_contract_layer_and_config()
    {
        var sample = RunProject(string.Empty);

        var result = sample.Publish();

        result.ExitCode.ShouldBe(0, result.ToString());
        var names = sample.ReadTopLayer().Select(e => e.Name).ToArray();
        foreach (var expected in new[] { "opt/modulus/bin/start", "sbin/my_init", "etc/supervisord.conf", "etc/passwd", "opt/modulus/libexec/modulus-notify" })
            names.ShouldContain(expected, result.ToString());
        var config = sample.ReadLayoutConfig();
        foreach (var expected in new[]
        {
            "\"User\":\"mop\"", "\"/mnt\":{}", "\"TEMP_DIR=/mnt/tmp\"", "\"HOME=/mnt/home\"",
            "\"PATH=/opt/modulus/bin:/usr/local/bin:/usr/bin:/bin\"", "\"Cmd\":[\"/sbin/my_init\"]",
        })
            config.ShouldContain(expected, Case.Sensitive, config);
        result.Log.ShouldContain("Validated the image against the run-image standard in", Case.Sensitive, result.ToString());
    }

    [Test]
    public void A_build_project_is_a_build_image_with_its_build_program_and_config()
    {
        var sample = RunProject("""
            <PropertyGroup>
              <ModulusImageKind>build</ModulusImageKind>
              <ModulusBuildScript>build.sh</ModulusBuildScript>
            </PropertyGroup>
            """);
        sample.WriteFile("build.sh", "#!/bin/sh\necho building\n");

        var result = sample.Publish();

        result.ExitCode.ShouldBe(0, result.ToString());
        var names = sample.ReadTopLayer().Select(e => e.Name).ToArray();
        names.ShouldContain("opt/modulus/bin/build", result.ToString());
        names.ShouldContain("sbin/my_init", result.ToString());
        names.ShouldNotContain("etc/supervisord.conf");
        ReadLayoutFile(sample, "opt/modulus/bin/build").ShouldBe("#!/bin/sh\necho building\n");
        var config = sample.ReadLayoutConfig();
        foreach (var expected in new[]
        {
            "\"User\":\"mop\"", "\"/mnt\":{}", "\"INPUT_DIR=/mnt/input\"", "\"OUTPUT_DIR=/mnt/output\"", "\"HOME=/mnt/home\"",
            "\"Entrypoint\":[\"/sbin/my_init\",\"--\"]", "\"Cmd\":[\"build\"]",
        })
            config.ShouldContain(expected, Case.Sensitive, config);
        result.Log.ShouldContain("Validated the image against the build-image standard in", Case.Sensitive, result.ToString());
    }

    [Test]
    public void Without_a_start_command_the_generated_start_runs_the_apps_own_start_or_says_why_not()
    {
        var sample = RunProject(string.Empty);
        var result = sample.Publish();
        result.ExitCode.ShouldBe(0, result.ToString());
        var start = ReadLayoutFile(sample, "opt/modulus/bin/start");

        start.ShouldStartWith("#!/bin/sh", Case.Sensitive, start);
        start.ShouldContain("if [ -x '/mnt/app/start' ]", Case.Sensitive, start);
        start.ShouldContain("printf 'ERROR:", Case.Sensitive, start);
    }

    [Test]
    public void A_start_command_and_custom_user_go_into_start_passwd_and_config()
    {
        var sample = RunProject("""
            <PropertyGroup>
              <ModulusStartCommand>dotnet App.dll</ModulusStartCommand>
              <ModulusUserName>app</ModulusUserName>
              <ModulusUserId>2001</ModulusUserId>
            </PropertyGroup>
            """);

        var result = sample.Publish();

        result.ExitCode.ShouldBe(0, result.ToString());
        ReadLayoutFile(sample, "opt/modulus/bin/start").ShouldContain("exec dotnet App.dll $EXEC_ARGS", Case.Sensitive);
        ReadLayoutFile(sample, "etc/passwd").ShouldContain("app:x:2001:444:", Case.Sensitive);
        sample.ReadLayoutConfig().ShouldContain("\"User\":\"app\"", Case.Sensitive);
        // ModulusVerifyImage runs the image as the user it was built with, from the report.
        var standard = Modulus.Publishing.ImageReport.TryRead(sample.ReportPath)!.Standard!;
        (standard.Kind, standard.User, standard.Uid, standard.Gid, standard.Home).ShouldBe(("run", "app", 2001, 444, "/mnt/home"));
        standard.ToStandard().Uid.ShouldBe(2001);
    }

    public static IEnumerable<TestCaseData> BrokenRules()
    {
        yield return new TestCaseData("MOD4010", """<ItemGroup><ModulusDirectory Include="/srv/x" Mode="0777" /></ItemGroup>""", "/srv/x", false)
            .SetName("A world-writable folder fails with the writable rule's code and its path");
        yield return new TestCaseData("MOD4021", """<ItemGroup><ModulusFile Include="/mnt/app/config.json" Content="{}" /></ItemGroup>""", "/mnt/app/config.json", false)
            .SetName("A file shipped under /mnt fails with the shipped-under-volume code and its path");
        yield return new TestCaseData("MOD4050", string.Empty, "supervisord", true)
            .SetName("A base without supervisord fails with its code");
    }

    [TestCaseSource(nameof(BrokenRules))]
    public void A_project_breaking_one_rule_fails_with_its_code_and_path_and_writes_nothing(string code, string body, string path, bool withoutSupervisord)
    {
        var sample = RunProject(body, withoutSupervisord ? _baseWithoutSupervisord : null);

        var result = sample.Publish();

        result.ExitCode.ShouldNotBe(0, result.ToString());
        result.Output.ShouldContain($"error {code}:", Case.Sensitive, result.ToString());
        result.Output.ShouldContain(path, Case.Sensitive, result.ToString());
        result.Output.ShouldContain("error MOD5021:", Case.Sensitive, result.ToString());
        result.Output.ShouldNotContain("   at ", Case.Sensitive, result.ToString());
        File.Exists(sample.ReportPath).ShouldBeFalse(result.ToString());
        File.Exists(sample.ArchivePath).ShouldBeFalse(result.ToString());
        Directory.Exists(sample.LayoutPath).ShouldBeFalse(result.ToString());
    }

    [Test]
    public void A_setuid_file_builds_with_the_setuid_warning()
    {
        var sample = RunProject("""<ItemGroup><ModulusFile Include="/usr/local/bin/helper" Content="#!/bin/sh" Mode="4755" /></ItemGroup>""");

        var result = sample.Publish();

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Output.ShouldContain("warning MOD4012:", Case.Sensitive, result.ToString());
        result.Output.ShouldContain("/usr/local/bin/helper", Case.Sensitive, result.ToString());
        File.Exists(sample.ReportPath).ShouldBeTrue(result.ToString());
    }

    [Test]
    public void A_plain_image_gets_no_contract_and_no_validation()
    {
        var sample = RunProject("""
            <PropertyGroup><ModulusImageKind>Plain</ModulusImageKind></PropertyGroup>
            <ItemGroup><ModulusFile Include="/mnt/app/config.json" Content="{}" /></ItemGroup>
            """, _baseWithoutSupervisord);

        var result = sample.Publish();

        result.ExitCode.ShouldBe(0, result.ToString());
        sample.ReadLayoutConfig().ShouldNotContain("Modulus: run-image contract", Case.Sensitive, "no contract layer in the history");
        sample.ReadLayoutConfig().ShouldNotContain("\"User\"", Case.Sensitive);
        result.Log.ShouldNotContain("run-image standard", Case.Sensitive, result.ToString());
    }

    public static IEnumerable<TestCaseData> BadSettings()
    {
        yield return new TestCaseData("MOD5019", "<ModulusImageKind>bulid</ModulusImageKind>", "ModulusImageKind")
            .SetName("An unknown ModulusImageKind fails with MOD5019 at its line");
        yield return new TestCaseData("MOD5020", "<ModulusUserId>4x1</ModulusUserId>", "ModulusUserId")
            .SetName("A ModulusUserId that is not a number fails with MOD5020 at its line");
        yield return new TestCaseData("MOD5020", "<ModulusStopTimeout>-1</ModulusStopTimeout>", "ModulusStopTimeout")
            .SetName("A negative ModulusStopTimeout fails with MOD5020 at its line");
        yield return new TestCaseData("MOD4081", "<ModulusStartScript>missing-start.sh</ModulusStartScript>", "ModulusStartScript")
            .SetName("A missing ModulusStartScript fails with MOD4081 at its line");
        yield return new TestCaseData("MOD4111", "<ModulusImageKind>build</ModulusImageKind><ModulusBuildScript>missing-build</ModulusBuildScript>", "ModulusBuildScript")
            .SetName("A missing ModulusBuildScript fails with MOD4111 at its line");
        yield return new TestCaseData("MOD4112", "<ModulusImageKind>build</ModulusImageKind><ModulusStartCommand>node app.js</ModulusStartCommand>", "ModulusStartCommand")
            .SetName("A start command on a build image fails with MOD4112 at its line");
        yield return new TestCaseData("MOD4113", "<ModulusBuildScript>build.sh</ModulusBuildScript>", "ModulusBuildScript")
            .SetName("ModulusBuildScript on a run image fails with MOD4113 at its line");
    }

    [TestCaseSource(nameof(BadSettings))]
    public void A_bad_contract_setting_fails_with_its_code_at_its_line(string code, string property, string marker)
    {
        var sample = RunProject($"<PropertyGroup>{property}</PropertyGroup>");
        var line = sample.LineOf(marker);

        var result = sample.Publish();

        result.ExitCode.ShouldNotBe(0, result.ToString());
        result.Output.ShouldContain($"{sample.ProjectPath}({line}", Case.Sensitive, result.ToString());
        result.Output.ShouldContain($"error {code}:", Case.Sensitive, result.ToString());
    }

    /// <summary>A file of the published image, read from whichever layer of the layout holds it last.</summary>
    private static string ReadLayoutFile(SampleProject sample, string name)
    {
        var blobs = Path.Combine(sample.LayoutPath, "blobs", "sha256");
        string? text = null;
        foreach (var layer in sample.LayerDigests())
        {
            using var gzip = new System.IO.Compression.GZipStream(File.OpenRead(Path.Combine(blobs, layer)), System.IO.Compression.CompressionMode.Decompress);
            using var tar = new System.Formats.Tar.TarReader(gzip);
            while (tar.GetNextEntry() is { } entry)
                if (entry.Name == name && entry.DataStream is { } data) text = new StreamReader(data).ReadToEnd();
        }
        return text ?? throw new AssertionException($"{name} is not in the image");
    }
}
