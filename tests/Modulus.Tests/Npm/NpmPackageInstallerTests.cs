using Modulus.Diagnostics;
using Modulus.Layers;
using Modulus.Npm;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Npm;

public class NpmPackageInstallerTests
{
    private TempDirectory _cache = null!;
    private FakeNpmRegistry _registry = null!;
    private RecordingLog _log = null!;

    private static readonly UnixPath Destination = UnixPath.Parse("/opt/app/node_modules/left-pad");

    [SetUp]
    public void SetUp()
    {
        _cache = new TempDirectory("npm-cache");
        _registry = new FakeNpmRegistry();
        _log = new RecordingLog();
    }

    [TearDown]
    public void TearDown()
    {
        _registry.Dispose();
        _cache.Dispose();
    }

    private NpmOptions Options() => new(_cache.Path, FakeNpmRegistry.Url) { Handler = _registry };

    private Task<NpmInstallResult> Install(string name, string version) =>
        NpmPackageInstaller.InstallAsync(new NpmPackageRequest(name, version, Destination), Options(), _log, CancellationToken.None);

    private static byte[] LeftPad(string version) => FakeNpmRegistry.Tarball(
        FakeNpmRegistry.PackageJson("left-pad", version),
        TarLayer.File("package/index.js", "module.exports = " + version.Replace('.', '_') + ";", mode: 0b110_110_110),
        TarLayer.File("package/bin/cli.js", "#!/usr/bin/env node\n", mode: 0b111_100_100),
        TarLayer.Symlink("package/bin/pad", "cli.js"));

    private static string ReadBody(IReadOnlyList<LayerEntry> entries, string path)
    {
        var file = entries.OfType<FileEntry>().Single(e => e.Path.Value == path);
        using var reader = new StreamReader(file.Content.OpenRead());
        return reader.ReadToEnd();
    }

    private string[] CacheFiles() => Directory.Exists(_cache.Path)
        ? Directory.GetFiles(_cache.Path, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(_cache.Path, f)).ToArray()
        : [];

    [Test]
    public async Task A_range_installs_the_highest_match_under_the_destination_with_normal_modes_and_root_owner()
    {
        _registry.Publish("left-pad", "1.2.0", LeftPad("1.2.0"));
        _registry.Publish("left-pad", "1.3.0", LeftPad("1.3.0"));
        _registry.Publish("left-pad", "2.0.0", LeftPad("2.0.0"));

        var result = await Install("left-pad", "^1.2.0");

        result.Version.ToString().ShouldBe("1.3.0");
        var listing = result.Entries.Select(e => $"{e.Path} {Convert.ToString(e.Mode, 8)} {e.Uid}:{e.Gid} {e.GetType().Name}").ToArray();
        listing.ShouldBe([
            "/opt/app/node_modules/left-pad 755 0:0 DirectoryEntry",
            "/opt/app/node_modules/left-pad/bin 755 0:0 DirectoryEntry",
            "/opt/app/node_modules/left-pad/bin/cli.js 755 0:0 FileEntry",
            "/opt/app/node_modules/left-pad/bin/pad 777 0:0 SymlinkEntry",
            "/opt/app/node_modules/left-pad/index.js 644 0:0 FileEntry",
            "/opt/app/node_modules/left-pad/package.json 644 0:0 FileEntry",
        ], ignoreOrder: true);
        ReadBody(result.Entries, "/opt/app/node_modules/left-pad/index.js").ShouldBe("module.exports = 1_3_0;");
        result.Entries.OfType<SymlinkEntry>().Single().Target.ShouldBe("cli.js");
    }

    [Test]
    public async Task The_entries_make_a_layer_that_reads_back_with_the_package_files()
    {
        _registry.Publish("left-pad", "1.3.0", LeftPad("1.3.0"));
        var result = await Install("left-pad", "1.3.0");

        var layer = new Modulus.Storage.BlobStore(_cache.Combine("layers")).WriteLayer(result.Entries, new LayerWriterOptions(DateTimeOffset.UnixEpoch));

        using var gzip = new System.IO.Compression.GZipStream(File.OpenRead(layer.BlobPath), System.IO.Compression.CompressionMode.Decompress);
        var read = LayerReader.Read(gzip, "npm layer").Select(e => $"{e.Path} {Convert.ToString(e.Mode, 8)} {e.Size}").ToArray();
        read.ShouldContain("/opt/app/node_modules/left-pad/index.js 644 23");
        read.ShouldContain("/opt/app/node_modules/left-pad/bin/cli.js 755 20");
        read.ShouldContain("/opt 755 0");
    }

    [Test]
    public async Task A_warm_install_of_an_exact_version_sends_no_request()
    {
        _registry.Publish("left-pad", "1.3.0", LeftPad("1.3.0"));
        await Install("left-pad", "1.3.0");
        _registry.Requests.Count.ShouldBe(2, "metadata and tarball");

        var again = await Install("left-pad", "1.3.0");

        _registry.Requests.Count.ShouldBe(2, "the cache answered");
        ReadBody(again.Entries, "/opt/app/node_modules/left-pad/index.js").ShouldBe("module.exports = 1_3_0;");
    }

    [Test]
    public async Task A_range_asks_for_metadata_again_but_downloads_nothing_cached()
    {
        _registry.Publish("left-pad", "1.3.0", LeftPad("1.3.0"));
        await Install("left-pad", "^1");
        await Install("left-pad", "^1");
        _registry.Requests.Count(r => r.EndsWith(".tgz")).ShouldBe(1);
    }

    [Test]
    public async Task A_tampered_tarball_is_refused_and_nothing_is_cached()
    {
        _registry.Publish("left-pad", "1.3.0", LeftPad("1.3.0"), served: LeftPad("6.6.6"));

        var e = await Should.ThrowAsync<ModulusException>(() => Install("left-pad", "1.3.0"));

        e.Code.ShouldBe("MOD3109");
        e.Message.ShouldContain("left-pad@1.3.0");
        e.Message.ShouldContain("sha512-");
        CacheFiles().ShouldBeEmpty();
    }

    [Test]
    public async Task A_version_with_only_a_sha1_is_verified_with_a_warning()
    {
        _registry.Publish("left-pad", "1.3.0", LeftPad("1.3.0"), sha1Only: true);
        await Install("left-pad", "1.3.0");
        _log.Warnings.ShouldContain(s => s.StartsWith("MOD3115: ") && s.Contains("sha1") && s.Contains("left-pad@1.3.0"));

        _registry.Publish("left-pad", "1.4.0", LeftPad("1.4.0"), served: LeftPad("6.6.6"), sha1Only: true);
        (await Should.ThrowAsync<ModulusException>(() => Install("left-pad", "1.4.0"))).Code.ShouldBe("MOD3109");
    }

    [Test]
    public async Task An_entry_climbing_out_of_the_package_is_refused()
    {
        _registry.Publish("evil", "1.0.0", FakeNpmRegistry.Tarball(
            FakeNpmRegistry.PackageJson("evil", "1.0.0"),
            TarLayer.File("package/../../../etc/passwd", "root::0:0::/:/bin/sh\n")));

        var e = await Should.ThrowAsync<ModulusException>(() => Install("evil", "1.0.0"));

        e.Code.ShouldBe("MOD3111");
        e.Message.ShouldContain("evil@1.0.0");
        e.Message.ShouldContain("etc/passwd");
    }

    [TestCase("/etc/shadow", Description = "absolute")]
    [TestCase("../../../etc/shadow", Description = "relative, climbing out")]
    public async Task A_link_out_of_the_package_is_refused(string target)
    {
        _registry.Publish("evil", "1.0.0", FakeNpmRegistry.Tarball(
            FakeNpmRegistry.PackageJson("evil", "1.0.0"),
            TarLayer.Symlink("package/lib/shadow", target)));

        var e = await Should.ThrowAsync<ModulusException>(() => Install("evil", "1.0.0"));

        e.Code.ShouldBe("MOD3111");
        e.Message.ShouldContain(target);
    }

    [Test]
    public async Task A_file_through_a_link_of_the_package_is_refused()
    {
        _registry.Publish("evil", "1.0.0", FakeNpmRegistry.Tarball(
            TarLayer.Symlink("package/lib", "."),
            TarLayer.File("package/lib/x.js", "")));

        (await Should.ThrowAsync<ModulusException>(() => Install("evil", "1.0.0"))).Code.ShouldBe("MOD3111");
    }

    [Test]
    public async Task A_hard_link_inside_the_package_stays_a_link_to_the_installed_file()
    {
        _registry.Publish("@team/linked", "1.0.0", FakeNpmRegistry.Tarball(
            TarLayer.File("package/a.js", "a", mode: 0b111_101_101),
            TarLayer.HardLink("package/b.js", "package/a.js")));

        var result = await Install("@team/linked", "1.0.0");

        var link = result.Entries.OfType<HardLinkEntry>().Single();
        link.Path.ShouldBe(Destination.Combine("b.js"));
        link.Target.ShouldBe(Destination.Combine("a.js"));
        link.Mode.ShouldBe(0b111_101_101);
        (await Install("@team/linked", "1.0.0")).Entries.ShouldBe(result.Entries, "a scoped name is cached too");
        _registry.Requests.Count.ShouldBe(2);
    }

    [Test]
    public async Task A_device_or_fifo_is_refused()
    {
        _registry.Publish("evil", "1.0.0", FakeNpmRegistry.Tarball(TarLayer.Fifo("package/pipe")));

        var e = await Should.ThrowAsync<ModulusException>(() => Install("evil", "1.0.0"));

        e.Code.ShouldBe("MOD3111");
        e.Message.ShouldContain("pipe");
    }

    [Test]
    public async Task A_missing_package_and_a_missing_version_are_errors_naming_them()
    {
        _registry.Publish("left-pad", "1.3.0", LeftPad("1.3.0"));

        var missing = await Should.ThrowAsync<ModulusException>(() => Install("right-pad", "1.0.0"));
        missing.Code.ShouldBe("MOD3105");
        missing.Message.ShouldContain("right-pad");

        var noVersion = await Should.ThrowAsync<ModulusException>(() => Install("left-pad", "^2"));
        noVersion.Code.ShouldBe("MOD3106");
        noVersion.Message.ShouldContain("1.3.0");
    }

    [Test]
    public async Task Server_errors_are_retried_a_bounded_number_of_times()
    {
        _registry.Publish("left-pad", "1.3.0", LeftPad("1.3.0"));
        _registry.FailuresLeft = 2;
        (await Install("left-pad", "1.3.0")).Version.ToString().ShouldBe("1.3.0");
        _log.Details.Count(l => l.Contains("; attempt ", StringComparison.Ordinal)).ShouldBe(2, "each retry is told in the publish log");

        _registry.FailuresLeft = 100;
        var e = await Should.ThrowAsync<ModulusException>(() => Install("left-pad", "^1.3.1-0"));
        e.Code.ShouldBe("MOD3107");
        e.Message.ShouldContain("503");
        _registry.FailuresLeft.ShouldBe(97);
    }

    [Test]
    public async Task An_invalid_package_name_is_refused_before_any_request()
    {
        (await Should.ThrowAsync<ModulusException>(() => Install("Left Pad", "1.0.0"))).Code.ShouldBe("MOD3103");
        _registry.Requests.ShouldBeEmpty();
    }
}
