using Modulus.Contract;
using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Layers;
using Modulus.Oci;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Contract;

public class ContractLayerTests
{
    [Test]
    public void Account_files_are_the_base_s_with_mop_merged_in_and_an_old_mop_replaced()
    {
        var fixture = new RunImageFixture();
        fixture.ReplaceBase(TarLayer.File("etc/passwd", "root:x:0:0:root:/root:/bin/bash\nmop:x:1000:1000::/home/mop:/bin/sh\nnobody:x:65534:65534::/:/usr/sbin/nologin\n"));
        fixture.ReplaceBase(TarLayer.File("etc/group", "root:x:0:\nshadow:x:42:\nmop:x:1000:alice\n"));

        var entries = fixture.Generate();

        Text(entries, "/etc/passwd").ShouldBe(
            "root:x:0:0:root:/root:/bin/bash\nmop:x:441:444:Modulus Image User:/mnt/home:/bin/bash\nnobody:x:65534:65534::/:/usr/sbin/nologin\n");
        Text(entries, "/etc/group").ShouldBe("root:x:0:\nshadow:x:42:\nmop:x:444:alice\n");
        var passwd = Entry(entries, "/etc/passwd");
        (passwd.Uid, passwd.Gid, passwd.Mode).ShouldBe((0, 0, 0b110_100_100));
    }

    [Test]
    public void Shadow_locks_mop_s_password_and_is_readable_by_root_and_the_shadow_group_only()
    {
        var fixture = new RunImageFixture();
        fixture.BaseEntries.Add(TarLayer.File("etc/gshadow", "root:*::\nshadow:*::\n", 0b110_100_000, 0, 42));

        var entries = fixture.Generate();

        Text(entries, "/etc/shadow").ShouldBe("root:*:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\nmop:!::0:99999:7:::\n");
        Text(entries, "/etc/gshadow").ShouldBe("root:*::\nshadow:*::\nmop:!::\n");
        foreach (var path in new[] { "/etc/shadow", "/etc/gshadow" })
        {
            var entry = Entry(entries, path);
            (entry.Uid, entry.Gid, entry.Mode).ShouldBe((0, 42, 0b110_100_000), path);
        }
    }

    [Test]
    public void A_base_without_account_files_gets_root_and_mop()
    {
        var fixture = new RunImageFixture();
        foreach (var name in new[] { "etc/passwd", "etc/group", "etc/shadow" }) fixture.RemoveBase(name);

        var entries = fixture.Generate();

        Text(entries, "/etc/passwd").ShouldBe("root:x:0:0:root:/root:/bin/sh\nmop:x:441:444:Modulus Image User:/mnt/home:/bin/bash\n");
        Text(entries, "/etc/group").ShouldBe("root:x:0:\nmop:x:444:\n");
        Entry(entries, "/etc/shadow").Gid.ShouldBe(0, "no shadow group to give it to");
    }

    [TestCase("etc/passwd", "root:x:0:0:root:/root:/bin/bash\napp:x:441:441::/srv:/bin/sh\n", "user 'app' already has id 441")]
    [TestCase("etc/group", "root:x:0:\nstaff:x:444:\n", "group 'staff' already has id 444")]
    public void An_id_held_by_another_account_is_refused(string file, string content, string expected)
    {
        var fixture = new RunImageFixture();
        fixture.ReplaceBase(TarLayer.File(file, content));

        var error = Should.Throw<ModulusException>(() => fixture.Generate());

        error.Code.ShouldBe("MOD4080");
        error.Message.ShouldContain(expected);
    }

    [Test]
    public void Files_under_a_symlinked_folder_go_where_the_link_leads_and_only_missing_folders_are_declared()
    {
        var entries = new RunImageFixture().Generate();

        var paths = entries.Select(e => e.Path.Value).ToArray();
        paths.ShouldContain("/usr/sbin/my_init");
        paths.ShouldNotContain("/sbin/my_init");
        paths.ShouldNotContain("/sbin", "the base's /sbin -> usr/sbin link must survive");
        paths.ShouldNotContain("/etc");
        entries.OfType<DirectoryEntry>().Select(d => d.Path.Value).ShouldBe(
            ["/etc/my_init.d", "/opt", "/opt/modulus", "/opt/modulus/bin", "/opt/modulus/libexec"], ignoreOrder: true);
        entries.OfType<SymlinkEntry>().ShouldHaveSingleItem().ShouldBe(new SymlinkEntry(UnixPath.Parse("/app-storage"), "/mnt/app-storage"));
        Entry(entries, "/usr/sbin/my_init").Mode.ShouldBe(0b111_101_101);
        paths.ShouldBe(paths.Order(StringComparer.Ordinal).ToArray(), "entries are sorted by path");
    }

    [Test]
    public void A_new_folder_under_a_symlinked_one_is_declared_where_the_link_leads()
    {
        var fixture = new RunImageFixture();
        fixture.BaseEntries.AddRange([TarLayer.Directory("srv"), TarLayer.Symlink("opt", "srv")]);

        var paths = fixture.Generate().Select(e => e.Path.Value).ToArray();

        paths.ShouldContain("/srv/modulus/bin/start");
        paths.ShouldContain("/srv/modulus/libexec/modulus-notify");
        paths.ShouldNotContain("/opt");
        paths.Where(p => p.StartsWith("/opt/", StringComparison.Ordinal)).ShouldBeEmpty();
    }

    [Test]
    public void A_supplied_start_script_is_copied_as_it_is_and_made_executable()
    {
        using var temp = new TempDirectory("start");
        var script = temp.WriteFile("start.sh", "#!/bin/sh\nexec node server.js\n");
        var fixture = new RunImageFixture { Start = StartSpec.FromScript(script) };

        var entries = fixture.Generate();

        Text(entries, "/opt/modulus/bin/start").ShouldBe("#!/bin/sh\nexec node server.js\n");
        Entry(entries, "/opt/modulus/bin/start").Mode.ShouldBe(0b111_101_101);
    }

    [Test]
    public void Overridden_standard_values_reach_every_generated_file()
    {
        var standard = RunImageStandard.Default with { LogMaxBytes = "10MB", LogBackups = 3, StopTimeoutSeconds = 5, Home = UnixPath.Parse("/mnt/mop") };
        var entries = new RunImageFixture { Standard = standard }.Generate();

        var supervisor = Text(entries, "/etc/supervisord.conf");
        supervisor.ShouldContain("logfile_maxbytes=10MB\nlogfile_backups=3\n");
        supervisor.ShouldContain("file=/mnt/mop/supervisor.sock\nchmod=0700\n");
        supervisor.ShouldContain("files = /mnt/supervisor.conf /mnt/mop/supervisor-fallback.conf\n");
        var init = Text(entries, "/usr/sbin/my_init");
        init.ShouldContain("LOG_MAX_BYTES = \"10MB\"\nLOG_BACKUPS = 3\nSTOP_TIMEOUT = 5\n");
        init.ShouldContain("FALLBACK_CONF = \"/mnt/mop/supervisor-fallback.conf\"");
        Text(entries, "/etc/passwd").ShouldContain("mop:x:441:444:Modulus Image User:/mnt/mop:/bin/bash\n");
    }

    [Test]
    public void The_start_folder_goes_first_on_the_base_s_path_once()
    {
        var standard = RunImageStandard.Default;
        ImageConfig Config(string? path) => ImageConfig.Empty(Platform.LinuxAmd64)
            .With(r => { if (path is not null) r["config"]!["Env"] = new System.Text.Json.Nodes.JsonArray("PATH=" + path); });

        PathOf(ContractLayer.ConfigChanges(standard, Config("/usr/bin:/bin"))).ShouldBe("/opt/modulus/bin:/usr/bin:/bin");
        PathOf(ContractLayer.ConfigChanges(standard, Config(null))).ShouldBe("/opt/modulus/bin:" + ContractLayer.DefaultPath);
        PathOf(ContractLayer.ConfigChanges(standard, Config("/usr/bin:/opt/modulus/bin"))).ShouldBe("/usr/bin:/opt/modulus/bin");

        var changes = ContractLayer.ConfigChanges(standard, Config(null));
        changes.Volumes.ShouldBe(["/mnt"]);
        changes.User.ShouldBe("mop");
        changes.Entrypoint.ShouldBeEmpty();
        changes.Cmd.ShouldBe(["/sbin/my_init"]);
        changes.Environment.Select(e => $"{e.Key}={e.Value}").ShouldBe(
            ["TEMP_DIR=/mnt/tmp", "TMPDIR=/mnt/tmp", "TMP_DIR=/mnt/tmp", "HOME=/mnt/home", "PATH=/opt/modulus/bin:" + ContractLayer.DefaultPath]);
    }

    [Test]
    public void The_project_s_config_changes_win_over_the_contract_s()
    {
        var baseConfig = ImageConfig.Empty(Platform.LinuxAmd64);
        var project = new ConfigChanges
        {
            Environment = [new("HOME", "/srv"), new("PORT", "8080")],
            Volumes = ["/data"],
            ExposedPorts = ["8080/tcp"],
            WorkingDir = "/mnt/app",
        };

        var changes = ContractLayer.ConfigChanges(RunImageStandard.Default, baseConfig, project);

        changes.Environment.Select(e => e.Key).ShouldBe(["TEMP_DIR", "TMPDIR", "TMP_DIR", "PATH", "HOME", "PORT"]);
        changes.Environment.Single(e => e.Key == "HOME").Value.ShouldBe("/srv");
        changes.Volumes.ShouldBe(["/mnt", "/data"]);
        changes.ExposedPorts.ShouldBe(["8080/tcp"]);
        (changes.User, changes.WorkingDir).ShouldBe(("mop", "/mnt/app"));
        changes.Cmd.ShouldBe(["/sbin/my_init"]);

        var withEntrypoint = ContractLayer.ConfigChanges(RunImageStandard.Default, baseConfig, new ConfigChanges { Entrypoint = ["/usr/bin/dotnet", "App.dll"] });
        withEntrypoint.Entrypoint.ShouldBe(["/usr/bin/dotnet", "App.dll"]);
        withEntrypoint.Cmd.ShouldBeNull("a new entrypoint drops the Cmd it would otherwise receive as arguments");
    }

    [Test]
    public void Bad_start_input_is_refused_with_its_code()
    {
        Should.Throw<ModulusException>(() => StartSpec.FromScript("/nonexistent/start.sh")).Code.ShouldBe("MOD4081");
        Should.Throw<ModulusException>(() => StartSpec.FromCommand("  ")).Code.ShouldBe("MOD4082");
        Should.Throw<ModulusException>(() => StartSpec.FromCommand("node a.js\nrm -rf /")).Code.ShouldBe("MOD4082");
    }

    public static IEnumerable<TestCaseData> BadStandards() =>
    [
        new TestCaseData(RunImageStandard.Default with { Uid = 0 }, "Uid").SetName("uid 0"),
        new TestCaseData(RunImageStandard.Default with { UserName = "Mop:x" }, "UserName").SetName("a user name with a colon"),
        new TestCaseData(RunImageStandard.Default with { Comment = "a:b" }, "Comment").SetName("a comment with a colon"),
        new TestCaseData(RunImageStandard.Default with { Home = UnixPath.Parse("/home/mop") }, "Home").SetName("a home outside the volume"),
        new TestCaseData(RunImageStandard.Default with { LogMaxBytes = "lots" }, "LogMaxBytes").SetName("a log size that is no size"),
    ];

    [TestCaseSource(nameof(BadStandards))]
    public void An_invalid_standard_is_refused_before_anything_is_generated(RunImageStandard standard, string field)
    {
        var error = Should.Throw<ModulusException>(() => new RunImageFixture { Standard = standard }.Generate());

        error.Code.ShouldBe("MOD4083");
        error.Message.ShouldContain($"standard's {field} ");
    }

    private static string? PathOf(ConfigChanges changes) => changes.Environment.Single(e => e.Key == "PATH").Value;

    private static LayerEntry Entry(IReadOnlyList<LayerEntry> entries, string path) => entries.Single(e => e.Path.Value == path);

    private static string Text(IReadOnlyList<LayerEntry> entries, string path) => RunImageFixture.ReadText(Entry(entries, path));
}
