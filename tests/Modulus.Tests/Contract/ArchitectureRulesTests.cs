using Modulus.Contract;
using Modulus.Layers;
using Modulus.Oci;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Contract;

/// <summary>
/// MOD4070: the standard's key programs, and the interpreters of those that are scripts, are built
/// for the image's platform, as their ELF headers say.
/// </summary>
public class ArchitectureRulesTests
{
    private const int Executable = 0b111_101_101;

    private static readonly Platform Arm64 = Platform.Parse("linux/arm64");

    [Test]
    public void An_aarch64_start_in_an_amd64_image_is_an_error_that_names_the_file_and_both_architectures()
    {
        var fixture = new RunImageFixture();
        fixture.TopEntries.Add(TarLayer.File("opt/modulus/bin/start", ElfSamples.Aarch64, Executable));

        var diagnostic = fixture.Validate().ShouldHaveSingleItem();

        diagnostic.Code.ShouldBe("MOD4070");
        diagnostic.Severity.ShouldBe(ContractSeverity.Error);
        diagnostic.Paths.ShouldBe([UnixPath.Parse("/opt/modulus/bin/start")]);
        diagnostic.Message.ShouldStartWith("MOD4070: /opt/modulus/bin/start, start, is a program for arm64, but the image is for linux/amd64");
        diagnostic.Message.ShouldContain("use its linux/amd64 variant");
    }

    [Test]
    public void A_start_script_whose_interpreter_is_of_another_architecture_is_an_error_that_names_the_interpreter()
    {
        var fixture = new RunImageFixture();
        fixture.TopEntries.AddRange([
            TarLayer.File("opt/modulus/bin/start", "#!/usr/local/bin/tool --serve\nexec app\n", Executable),
            TarLayer.File("usr/local/bin/tool", ElfSamples.Aarch64, Executable)]);

        var diagnostic = fixture.Validate().ShouldHaveSingleItem();

        diagnostic.Code.ShouldBe("MOD4070");
        diagnostic.Paths.ShouldBe([UnixPath.Parse("/usr/local/bin/tool")]);
        diagnostic.Message.ShouldContain("/usr/local/bin/tool, the #! interpreter of start (/opt/modulus/bin/start), is a program for arm64");
    }

    [Test]
    public void Programs_of_the_image_s_architecture_are_no_error()
    {
        var fixture = new RunImageFixture();
        fixture.ReplaceBase(TarLayer.File("usr/bin/python3.11", ElfSamples.X86_64, Executable));
        fixture.ReplaceBase(TarLayer.File("usr/bin/dash", ElfSamples.X86_64, Executable));
        fixture.TopEntries.AddRange([
            TarLayer.File("opt/modulus/bin/start", "#!/usr/local/bin/tool\n", Executable),
            TarLayer.File("usr/local/bin/tool", ElfSamples.X86_64, Executable)]);

        fixture.Validate().ShouldBeEmpty();
    }

    [Test]
    public void This_machine_s_own_program_is_no_error_in_an_image_for_this_machine()
    {
        var fixture = new RunImageFixture { Platform = Platform.Parse("linux/" + ElfSamples.HostArchitecture) };
        fixture.TopEntries.Add(TarLayer.File("opt/modulus/bin/start", ElfSamples.HostProgram(), Executable));

        fixture.Validate().ShouldBeEmpty();
    }

    [Test]
    public void Supervisord_s_python_of_another_architecture_is_named_once_through_its_link()
    {
        var fixture = new RunImageFixture { Platform = Arm64 };
        fixture.ReplaceBase(TarLayer.File("usr/bin/python3.11", ElfSamples.X86_64, Executable));

        var diagnostic = fixture.Validate().ShouldHaveSingleItem("my_init, supervisord and supervisorctl share one python: one finding");

        diagnostic.Code.ShouldBe("MOD4070");
        diagnostic.Paths.ShouldBe([UnixPath.Parse("/usr/bin/python3"), UnixPath.Parse("/usr/bin/python3.11")]);
        diagnostic.Message.ShouldContain("/usr/bin/python3 (which leads to /usr/bin/python3.11)");
        diagnostic.Message.ShouldContain("is a program for amd64, but the image is for linux/arm64");
        diagnostic.Message.ShouldContain("use its linux/arm64 variant");
    }

    [Test]
    public void The_program_a_start_command_runs_and_a_node_runtime_are_checked()
    {
        var fixture = new RunImageFixture { Start = StartSpec.FromCommand("/opt/app/server --port 8080") };
        fixture.TopEntries.AddRange([
            TarLayer.File("opt/app/server", ElfSamples.Aarch64, Executable),
            TarLayer.File("opt/modulus/node/22.1.0/bin/node", ElfSamples.Header(ElfHeader.MachineS390, 64, littleEndian: false), Executable)]);

        var diagnostics = fixture.Validate();

        diagnostics.Select(d => d.Code).ShouldBe(["MOD4070", "MOD4070"], string.Join("\n", diagnostics));
        diagnostics[0].Message.ShouldContain("/opt/app/server, the program the start command runs, is a program for arm64");
        diagnostics[1].Message.ShouldContain("/opt/modulus/node/22.1.0/bin/node, the Node.js runtime, is a program for s390x");
    }

    [Test]
    public void What_an_env_line_runs_is_checked_on_path()
    {
        var fixture = new RunImageFixture();
        fixture.TopEntries.AddRange([
            TarLayer.File("opt/modulus/bin/start", "#!/usr/bin/env tool\n", Executable),
            TarLayer.File("usr/local/bin/tool", ElfSamples.Aarch64, Executable)]);

        var diagnostic = fixture.Validate().ShouldHaveSingleItem();

        diagnostic.Message.ShouldContain("/usr/local/bin/tool, what the #! line of start (/opt/modulus/bin/start) runs through /usr/bin/env");
    }

    public static IEnumerable<TestCaseData> NotReported()
    {
        yield return new TestCaseData(ElfSamples.Header(0x1234, 64, true)).SetName("{m}(an unknown machine)");
        yield return new TestCaseData(ElfSamples.Header(ElfHeader.Machine386, 32, true)).SetName("{m}(32-bit x86, which amd64 kernels run)");
        yield return new TestCaseData(ElfSamples.Aarch64[..19]).SetName("{m}(a cut header)");
        yield return new TestCaseData("MZ\u0090\0"u8.ToArray()).SetName("{m}(not ELF)");
    }

    [TestCaseSource(nameof(NotReported))]
    public void What_the_header_does_not_say_for_sure_is_not_reported(byte[] start)
    {
        var fixture = new RunImageFixture();
        fixture.TopEntries.Add(TarLayer.File("opt/modulus/bin/start", start, Executable));

        fixture.Validate().Where(d => d.Code == "MOD4070").ShouldBeEmpty();
    }

    [Test]
    public void An_interpreter_cut_off_by_the_kept_bytes_is_not_guessed_at()
    {
        var fixture = new RunImageFixture();
        var interpreter = "/usr/local/bin/" + new string('t', 60);
        fixture.TopEntries.AddRange([
            TarLayer.File("opt/modulus/bin/start", $"#!{interpreter}\nexec app\n", Executable),
            TarLayer.File(interpreter[1..], ElfSamples.Aarch64, Executable)]);

        fixture.Validate().Where(d => d.Code == "MOD4070").ShouldBeEmpty();
    }
}
