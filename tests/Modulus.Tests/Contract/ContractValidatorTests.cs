using System.Diagnostics;
using Modulus.Contract;
using Modulus.Images;
using Modulus.Layers;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Contract;

public class ContractValidatorTests
{
    private const int Executable = 0b111_101_101;

    [Test]
    public void The_run_image_made_of_a_conforming_base_breaks_no_rule()
    {
        var diagnostics = new RunImageFixture().Validate();

        diagnostics.ShouldBeEmpty(string.Join("\n", diagnostics));
    }

    /// <summary>One broken rule per case: the image differs from the conforming one in that respect only.</summary>
    public sealed record RuleCase(string Description, string Code, string? Path, Action<RunImageFixture> Break)
    {
        public override string ToString() => Description;
    }

    public static IEnumerable<RuleCase> RuleCases() =>
    [
        new("no mop in /etc/passwd", "MOD4001", "/etc/passwd",
            f => f.TopEntries.Add(TarLayer.File("etc/passwd", "root:x:0:0:root:/root:/bin/bash\n"))),
        new("no mop in /etc/group", "MOD4002", "/etc/group",
            f => f.TopEntries.Add(TarLayer.File("etc/group", "root:x:0:\nshadow:x:42:\n"))),
        new("mop with another home", "MOD4003", "/etc/passwd",
            f => f.TopEntries.Add(TarLayer.File("etc/passwd", "root:x:0:0:root:/root:/bin/bash\nmop:x:441:444:Modulus Image User:/home/mop:/bin/bash\n"))),
        new("mop in a group with gid 0", "MOD4004", "/etc/group",
            f => f.TopEntries.AddRange([
                TarLayer.File("etc/passwd", "root:x:0:0:root:/root:/bin/bash\nmop:x:441:0:Modulus Image User:/mnt/home:/bin/bash\n"),
                TarLayer.File("etc/group", "mop:x:0:\nshadow:x:42:\n")])),
        new("no bash for mop's login shell", "MOD4005", "/bin/bash", f => f.RemoveBase("usr/bin/bash")),
        new("a world-writable folder in the base layer", "MOD4010", "/srv",
            f => f.BaseEntries.Add(TarLayer.Directory("srv", 0b111_111_111))),
        new("a file owned by mop", "MOD4010", "/etc/app.conf",
            f => f.TopEntries.Add(TarLayer.File("etc/app.conf", "x", uid: 441, gid: 444))),
        new("a folder group-writable by a supplementary group of mop", "MOD4010", "/var/www",
            f => f.TopEntries.AddRange([
                TarLayer.Directory("var/www", 0b111_111_101, 0, 33),
                TarLayer.File("etc/group", "root:x:0:\nshadow:x:42:\nwww-data:x:33:mop\nmop:x:444:\n")])),
        new("a sticky world-writable /tmp", "MOD4011", "/tmp", f => f.ReplaceBase(TarLayer.Directory("tmp", 0b1_111_111_111))),
        new("a setuid program", "MOD4012", "/usr/bin/passwd",
            f => f.BaseEntries.Add(TarLayer.File("usr/bin/passwd", "\u007fELF", 0b100_111_101_101))),
        new("no /mnt volume", "MOD4020", "/mnt", f => f.Configure(c => c with { Volumes = [] })),
        new("an application shipped in /mnt", "MOD4021", "/mnt/app/index.js",
            f => f.TopEntries.Add(TarLayer.File("mnt/app/index.js", "console.log(1)"))),
        new("HOME pointing at /root", "MOD4030", null,
            f => f.Configure(c => c with { Environment = [.. c.Environment.Where(e => e.Key != "HOME"), new("HOME", "/root")] })),
        new("no start on PATH", "MOD4040", null, f => f.TopEntries.Add(TarLayer.Whiteout("opt/modulus/bin/start"))),
        new("a start that mop cannot execute", "MOD4041", "/opt/modulus/bin/start",
            f => f.TopEntries.Add(TarLayer.File("opt/modulus/bin/start", "#!/bin/sh\nexec app\n", 0b111_100_100))),
        new("a start whose interpreter is missing", "MOD4042", "/usr/bin/ruby",
            f => f.TopEntries.Add(TarLayer.File("opt/modulus/bin/start", "#!/usr/bin/ruby\nexec 'app'\n", Executable))),
        new("no supervisord", "MOD4050", null, f => f.RemoveBase("usr/bin/supervisord")),
        new("a supervisord configuration without the platform's include", "MOD4051", "/etc/supervisord.conf",
            f => f.TopEntries.Add(TarLayer.File("etc/supervisord.conf", "[supervisord]\nnodaemon=true\n[include]\nfiles = /etc/supervisor/conf.d/*.conf\n"))),
        new("a command that is not in the image", "MOD4060", null, f => f.Configure(c => c with { Cmd = ["/usr/bin/node"] })),
        new("User root", "MOD4061", null, f => f.Configure(c => c with { User = "root" })),
        new("User 0:0", "MOD4061", null, f => f.Configure(c => c with { User = "0:0" })),
        new("a User that the image does not know", "MOD4062", "/etc/passwd", f => f.Configure(c => c with { User = "app" })),
        new("an aarch64 start in an amd64 image", "MOD4070", "/opt/modulus/bin/start",
            f => f.TopEntries.Add(TarLayer.File("opt/modulus/bin/start", ElfSamples.Aarch64, Executable))),
        new("no program for the start command", "MOD4090", null, f => f.RemoveBase("usr/bin/dotnet")),
        new("a folder where the start command's program should be", "MOD4091", "/usr/bin/dotnet",
            f => f.ReplaceBase(TarLayer.Directory("usr/bin/dotnet"))),
        new("a start command's program that mop cannot execute", "MOD4092", "/usr/bin/dotnet",
            f => f.ReplaceBase(TarLayer.File("usr/bin/dotnet", "\u007fELF dotnet", 0b111_000_000))),
        new("a start command's program whose interpreter is missing", "MOD4093", "/usr/bin/dotnet",
            f => f.ReplaceBase(TarLayer.File("usr/bin/dotnet", "#!/usr/bin/ruby\n", Executable))),
        new("a start script without a #! line", "MOD4094", "/opt/modulus/bin/start",
            f => f.Start = new StartSpec.Script(FileContent.FromText("exec app\n", "test start"))),
    ];

    [TestCaseSource(nameof(RuleCases))]
    public void An_image_that_breaks_one_rule_gets_that_rule_s_code_and_path(RuleCase rule)
    {
        var fixture = new RunImageFixture();
        rule.Break(fixture);

        var diagnostics = fixture.Validate();

        var diagnostic = diagnostics.ShouldHaveSingleItem(string.Join("\n", diagnostics));
        diagnostic.Code.ShouldBe(rule.Code, diagnostic.Message);
        diagnostic.Message.ShouldStartWith(rule.Code + ": ");
        if (rule.Path is not null) diagnostic.Paths.ShouldContain(UnixPath.Parse(rule.Path), diagnostic.Message);
    }

    [Test]
    public void Every_rule_has_a_case_and_a_severity_matching_the_docs()
    {
        var covered = RuleCases().Select(c => c.Code).ToHashSet();
        ContractRules.All.Select(r => r.Error.Code).Except(covered).ShouldBeEmpty("rules without a breaking case");

        var doc = File.ReadAllText(RepoPaths.Combine("docs", "contract.md"));
        foreach (var rule in ContractRules.All)
            doc.ShouldContain($"| {rule.Error.Code} | {rule.Severity.ToString().ToLowerInvariant()} |", customMessage: "docs/contract.md's rule table");
    }

    [Test]
    public void Sticky_temp_folders_and_setuid_files_are_warnings_and_writable_folders_errors()
    {
        var fixture = new RunImageFixture();
        fixture.ReplaceBase(TarLayer.Directory("tmp", 0b1_111_111_111));
        fixture.BaseEntries.Add(TarLayer.Directory("srv", 0b111_111_111));

        var diagnostics = fixture.Validate();

        diagnostics.Single(d => d.Code == "MOD4011").Severity.ShouldBe(ContractSeverity.Warning);
        diagnostics.Single(d => d.Code == "MOD4010").Severity.ShouldBe(ContractSeverity.Error);
    }

    [Test]
    public void A_long_list_of_offending_paths_names_the_first_ten_and_counts_the_rest()
    {
        var fixture = new RunImageFixture();
        for (var i = 0; i < 25; i++) fixture.TopEntries.Add(TarLayer.File($"srv/f{i:00}", "x", 0b110_110_110));

        var diagnostic = fixture.Validate().ShouldHaveSingleItem();

        diagnostic.Paths.Count.ShouldBe(25);
        diagnostic.Message.ShouldContain("/srv/f00, /srv/f01");
        diagnostic.Message.ShouldContain("/srv/f09 and 15 more");
        diagnostic.Message.ShouldNotContain("/srv/f10");
    }

    [Test]
    public void Start_behind_a_symlink_on_path_is_found_through_it()
    {
        var fixture = new RunImageFixture();
        fixture.TopEntries.AddRange([
            TarLayer.Whiteout("opt/modulus/bin/start"),
            TarLayer.File("opt/node/start.sh", "#!/usr/bin/env bash\nexec node\n", Executable),
            TarLayer.Symlink("usr/local/bin/start", "../../../opt/node/start.sh")]);

        fixture.Validate().ShouldBeEmpty();
    }

    [Test]
    public void An_env_interpreter_needs_its_program_on_path()
    {
        var fixture = new RunImageFixture();
        fixture.TopEntries.Add(TarLayer.File("opt/modulus/bin/start", "#!/usr/bin/env node\n", Executable));

        var diagnostic = fixture.Validate().ShouldHaveSingleItem();

        diagnostic.Code.ShouldBe("MOD4042");
        diagnostic.Message.ShouldContain("/usr/bin/env node");
    }

    [Test]
    public void Validating_an_image_of_ten_thousand_entries_takes_well_under_a_second()
    {
        var fixture = new RunImageFixture();
        for (var d = 0; d < 100; d++)
        {
            fixture.BaseEntries.Add(TarLayer.Directory($"usr/share/d{d:000}"));
            for (var f = 0; f < 100; f++) fixture.BaseEntries.Add(TarLayer.File($"usr/share/d{d:000}/f{f:000}", "x"));
        }
        var image = fixture.Build();
        ContractValidator.Validate(ImageFileSystem.Read(image.Layers), image.Config, fixture.Standard).ShouldBeEmpty("a first run warms up the code");

        var reading = Stopwatch.StartNew();
        var fs = ImageFileSystem.Read(image.Layers);
        reading.Stop();
        var validating = Stopwatch.StartNew();
        var diagnostics = ContractValidator.Validate(fs, image.Config, fixture.Standard);
        validating.Stop();

        diagnostics.ShouldBeEmpty();
        fs.All.Count().ShouldBeGreaterThan(10_000);
        TestContext.Out.WriteLine($"{fs.All.Count()} entries: merged view read in {reading.Elapsed.TotalMilliseconds:F1} ms, validated in {validating.Elapsed.TotalMilliseconds:F1} ms");
        // Only the rules are timed against a bound: reading the view is the reader's cost, and this
        // machine's load makes its time vary (0.3 to 0.9 s seen).
        validating.Elapsed.ShouldBeLessThan(TimeSpan.FromMilliseconds(250));
    }
}
