using Modulus.Contract;
using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Layers;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Contract;

/// <summary>The build-image standard: what ModulusImageKind=build generates, and every rule the validator holds a build image to.</summary>
public class BuildImageTests
{
    private const int Executable = 0b111_101_101;

    [Test]
    public void The_build_image_made_of_a_conforming_base_breaks_no_rule()
    {
        var diagnostics = new BuildImageFixture().Validate();

        diagnostics.ShouldBeEmpty(string.Join("\n", diagnostics));
    }

    [Test]
    public void The_layer_holds_mop_build_and_my_init_and_nothing_of_supervision()
    {
        var entries = new BuildImageFixture().Generate();

        var paths = entries.Select(e => e.Path.Value).ToArray();
        paths.ShouldContain("/opt/modulus/bin/build");
        paths.ShouldContain("/usr/sbin/my_init", "written where the base's /sbin link leads");
        paths.ShouldContain("/etc/my_init.d");
        paths.ShouldNotContain("/etc/supervisord.conf");
        paths.ShouldNotContain("/opt/modulus/bin/start");
        paths.ShouldNotContain("/app-storage");
        paths.ShouldNotContain(p => p.StartsWith("/mnt", StringComparison.Ordinal));
        RunImageFixture.ReadText(entries.Single(e => e.Path.Value == "/etc/passwd"))
            .ShouldContain("mop:x:441:444:Modulus Image User:/mnt/home:/bin/bash\n");
        var build = entries.Single(e => e.Path.Value == "/opt/modulus/bin/build");
        (build.Uid, build.Gid, build.Mode).ShouldBe((0, 0, Executable));
    }

    [Test]
    public void The_config_runs_build_under_my_init_as_mop_with_the_volume_folders_in_the_environment()
    {
        var config = new BuildImageFixture().Image().Config;

        config.Entrypoint.ShouldBe(["/sbin/my_init", "--"]);
        config.Cmd.ShouldBe(["build"]);
        config.User.ShouldBe("mop");
        config.Volumes.ShouldBe(["/mnt"]);
        config.GetEnv("INPUT_DIR").ShouldBe("/mnt/input");
        config.GetEnv("OUTPUT_DIR").ShouldBe("/mnt/output");
        config.GetEnv("HOME").ShouldBe("/mnt/home");
        foreach (var name in new[] { "TEMP_DIR", "TMPDIR", "TMP_DIR" }) config.GetEnv(name).ShouldBe("/mnt/tmp", name);
        config.GetEnv("PATH").ShouldBe("/opt/modulus/bin:/usr/local/bin:/usr/bin:/bin");
    }

    [Test]
    public void The_generic_build_runs_the_source_s_own_build_in_the_input_folder_else_says_why_not()
    {
        var sh = Tools.Require("sh");
        using var temp = new TempDirectory("build-generic");
        var text = RunImageFixture.ReadText(new BuildImageFixture().Generate().Single(e => e.Path.Value == "/opt/modulus/bin/build"))
            .Replace("/mnt/input", temp.Combine("input"), StringComparison.Ordinal);
        var build = temp.WriteFile("build", text);

        var missing = Tools.Run(sh, [build]);
        missing.ExitCode.ShouldBe(1);
        missing.StdErr.ShouldBe($"ERROR: {temp.Combine("input", "build")} is missing or not executable, and this image has no other way to build the source\n");

        var own = temp.WriteFile("input/build", "#!/bin/sh\necho \"built in $(pwd) with $*\"\n");
        Tools.RunChecked("chmod", ["755", own]);
        var built = Tools.Run(sh, [build, "--release"]);
        built.ExitCode.ShouldBe(0, built.ToString());
        built.StdOut.ShouldBe($"built in {temp.Combine("input")} with --release\n");
    }

    [Test]
    public void A_supplied_build_program_is_copied_as_it_is()
    {
        var fixture = new BuildImageFixture { Build = new BuildSpec.Script(FileContent.FromText("#!/usr/bin/python3\nprint('hi')\n", "test build")) };

        var entries = fixture.Generate();

        RunImageFixture.ReadText(entries.Single(e => e.Path.Value == "/opt/modulus/bin/build")).ShouldBe("#!/usr/bin/python3\nprint('hi')\n");
        fixture.Validate().ShouldBeEmpty();
    }

    /// <summary>One broken rule per case: the image differs from the conforming one in that respect only.</summary>
    public sealed record RuleCase(string Description, string Code, string? Path, Action<BuildImageFixture> Break)
    {
        public override string ToString() => Description;
    }

    public static IEnumerable<RuleCase> RuleCases() =>
    [
        new("OUTPUT_DIR pointing at /srv", "MOD4100", null,
            f => f.Configure(c => c with { Environment = [.. c.Environment.Where(e => e.Key != "OUTPUT_DIR"), new("OUTPUT_DIR", "/srv")] })),
        new("no INPUT_DIR", "MOD4100", null,
            f => f.Configure(c => c with { Environment = [.. c.Environment.Where(e => e.Key != "INPUT_DIR")] })),
        new("no build on PATH", "MOD4101", null, f => f.TopEntries.Add(TarLayer.Whiteout("opt/modulus/bin/build"))),
        new("a build that mop cannot execute", "MOD4102", "/opt/modulus/bin/build",
            f => f.TopEntries.Add(TarLayer.File("opt/modulus/bin/build", "#!/bin/sh\nexit 0\n", 0b111_100_100))),
        new("a build whose interpreter is missing", "MOD4103", "/usr/bin/node",
            f => f.TopEntries.Add(TarLayer.File("opt/modulus/bin/build", "#!/usr/bin/node\n", Executable))),
        new("a command without the init", "MOD4104", "/opt/modulus/bin/build", f => f.Configure(c => c with { Entrypoint = [] })),
        new("a folder outside /mnt that mop can write", "MOD4010", "/opt/cache",
            f => f.TopEntries.Add(TarLayer.Directory("opt/cache", 0b111_101_101, 441, 444))),
        new("a sticky world-writable /tmp", "MOD4011", "/tmp", f => f.ReplaceBase(TarLayer.Directory("tmp", 0b1_111_111_111))),
        new("a source shipped in /mnt/input", "MOD4021", "/mnt/input/package.json",
            f => f.TopEntries.Add(TarLayer.File("mnt/input/package.json", "{}"))),
        new("no /mnt volume", "MOD4020", "/mnt", f => f.Configure(c => c with { Volumes = [] })),
        new("User root", "MOD4061", null, f => f.Configure(c => c with { User = "root" })),
        new("no mop in /etc/passwd", "MOD4001", "/etc/passwd",
            f => f.TopEntries.Add(TarLayer.File("etc/passwd", "root:x:0:0:root:/root:/bin/bash\n"))),
        new("an aarch64 build in an amd64 image", "MOD4070", "/opt/modulus/bin/build",
            f => f.TopEntries.Add(TarLayer.File("opt/modulus/bin/build", ElfSamples.Aarch64, Executable))),
    ];

    [TestCaseSource(nameof(RuleCases))]
    public void A_build_image_that_breaks_one_rule_gets_that_rule_s_code_and_path(RuleCase rule)
    {
        var fixture = new BuildImageFixture();
        rule.Break(fixture);

        var diagnostics = fixture.Validate();

        var diagnostic = diagnostics.ShouldHaveSingleItem(string.Join("\n", diagnostics));
        diagnostic.Code.ShouldBe(rule.Code, diagnostic.Message);
        diagnostic.Message.ShouldStartWith(rule.Code + ": ");
        if (rule.Path is not null) diagnostic.Paths.ShouldContain(UnixPath.Parse(rule.Path), diagnostic.Message);
    }

    [Test]
    public void Every_build_rule_has_a_case_and_a_severity_matching_the_docs()
    {
        var covered = RuleCases().Select(c => c.Code).ToHashSet();
        BuildRules.All.Select(r => r.Error.Code).Except(covered).ShouldBeEmpty("build rules without a breaking case");

        var doc = File.ReadAllText(RepoPaths.Combine("docs", "contract.md"));
        var section = doc[doc.IndexOf("## Build images", StringComparison.Ordinal)..];
        foreach (var rule in BuildRules.All)
            section.ShouldContain($"| {rule.Error.Code} | {rule.Severity.ToString().ToLowerInvariant()} |", customMessage: "docs/contract.md's build rule table");
        foreach (var rule in BuildRules.Shared) section.ShouldContain(rule.Error.Code, customMessage: "the shared rules docs/contract.md names for build images");
    }

    [Test]
    public void A_run_image_is_not_a_build_image_although_my_init_comes_first_in_both()
    {
        var run = new RunImageFixture().Build();

        var codes = ContractValidator.Validate(ImageFileSystem.Read(run.Layers), run.Config, BuildImageStandard.Default).Select(d => d.Code).ToArray();

        codes.ShouldBe(["MOD4100", "MOD4101"], ignoreOrder: true);
    }

    [Test]
    public void Input_and_output_folders_outside_the_volume_or_inside_one_another_are_refused()
    {
        foreach (var standard in new[]
                 {
                     BuildImageStandard.Default with { OutputDirectory = UnixPath.Parse("/srv/out") },
                     BuildImageStandard.Default with { InputDirectory = UnixPath.Parse("/mnt") },
                     BuildImageStandard.Default with { OutputDirectory = UnixPath.Parse("/mnt/input/out") },
                 })
        {
            var error = Should.Throw<ModulusException>(() => new BuildImageFixture { Standard = standard }.Generate());
            error.Error.ShouldBe(Errors.BuildInvalidStandard);
        }
    }
}
