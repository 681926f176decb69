using Modulus.Layers;
using Modulus.Npm;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Npm;

/// <summary>
/// Against the npm registry this machine's npm configuration names (found by the locator, never
/// written here). The Node.js runtime test downloads tens of megabytes, so it runs only when
/// MODULUS_TEST_NODE_RUNTIME=true or when an earlier run left the runtime in its cache.
/// </summary>
[Category("Network")]
public class NpmRealRegistryTests
{
    private static readonly string RuntimeCache = Path.Combine(Path.GetTempPath(), "modulus-tests-npm-runtime");

    private TempDirectory _cache = null!;

    [SetUp]
    public void SetUp() => _cache = new TempDirectory("npm-real");

    [TearDown]
    public void TearDown() => _cache.Dispose();

    [Test]
    public async Task The_node_package_resolves_a_range_to_a_release_of_that_line()
    {
        using var installer = new NpmPackageInstaller(new NpmOptions(_cache.Path), new RecordingLog());
        var packument = await installer.PackumentAsync(NodeRuntimeInstaller.NodePackage, CancellationToken.None);

        var version = packument.Resolve(SemVerRange.Parse("^22.0.0")).Version;

        version.Major.ShouldBe(22);
        version.IsPrerelease.ShouldBeFalse();
    }

    [Test]
    public async Task A_small_package_installs_and_a_warm_install_sends_nothing()
    {
        var destination = UnixPath.Parse("/app/node_modules/is-number");
        var first = new NpmPackageInstaller(new NpmOptions(_cache.Path), new RecordingLog());
        NpmInstallResult installed;
        using (first) installed = await first.InstallAsync(new NpmPackageRequest("is-number", "^7.0.0", destination), CancellationToken.None);

        installed.Version.Major.ShouldBe(7);
        first.RequestCount.ShouldBe(2);
        var index = installed.Entries.OfType<FileEntry>().Single(e => e.Path == destination.Combine("index.js"));
        using (var reader = new StreamReader(index.Content.OpenRead())) reader.ReadToEnd().ShouldContain("module.exports");
        installed.Entries.ShouldContain(e => e.Path == destination.Combine("package.json"));
        installed.Entries.ShouldAllBe(e => e.Uid == 0 && e.Gid == 0 && e.Path.IsUnder(destination));

        using var second = new NpmPackageInstaller(new NpmOptions(_cache.Path, "http://127.0.0.1:9/unreachable/"), new RecordingLog());
        var again = await second.InstallAsync(new NpmPackageRequest("is-number", installed.Version.ToString(), destination), CancellationToken.None);

        second.RequestCount.ShouldBe(0);
        again.Entries.ShouldBe(installed.Entries);
    }

    [Test]
    public async Task A_node_runtime_comes_with_a_working_npm()
    {
        var cached = Directory.Exists(Path.Combine(RuntimeCache, "npm", "index")) &&
                     Directory.GetFiles(Path.Combine(RuntimeCache, "npm", "index"), NodeRuntimeInstaller.NodePackage + "@22.*").Length > 0;
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("Runs a Linux node binary.");
            return;
        }
        if (!cached && Environment.GetEnvironmentVariable("MODULUS_TEST_NODE_RUNTIME") != "true")
            Assert.Ignore("Downloads a Node.js runtime; set MODULUS_TEST_NODE_RUNTIME=true to run it once, later runs use its cache.");

        using var installer = new NpmPackageInstaller(new NpmOptions(RuntimeCache), new RecordingLog());
        var runtime = await NodeRuntimeInstaller.InstallAsync(installer, new NodeRuntimeRequest("22"), CancellationToken.None);

        runtime.Node.Major.ShouldBe(22);
        runtime.Home.Value.ShouldBe($"/opt/modulus/node/{runtime.Node}");
        var node = runtime.Entries.OfType<FileEntry>().Single(e => e.Path == runtime.Home.Combine("bin/node"));
        node.Mode.ShouldBe(0b111_101_101);
        runtime.Entries.OfType<SymlinkEntry>().Single(e => e.Path == runtime.Home.Combine("bin/npm")).Target.ShouldBe("../lib/node_modules/npm/bin/npm-cli.js");
        runtime.Entries.OfType<SymlinkEntry>().Single(e => e.Path == runtime.Home.Combine("bin/npx")).Target.ShouldBe("../lib/node_modules/npm/bin/npx-cli.js");
        var npmCli = runtime.Entries.OfType<FileEntry>().Single(e => e.Path == runtime.Home.Combine("lib/node_modules/npm/bin/npm-cli.js"));
        npmCli.Mode.ShouldBe(0b111_101_101);

        // The baked files run: node reports the chosen version, and npm runs on it.
        var binary = _cache.Combine("node");
        using (var source = node.Content.OpenRead())
        using (var target = File.Create(binary)) source.CopyTo(target);
        File.SetUnixFileMode(binary, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
        Tools.Run(binary, ["--version"]).StdOut.Trim().ShouldBe("v" + runtime.Node);
        Tools.Run(binary, [npmCli.Content.Describe(), "--version"]).StdOut.Trim().ShouldBe(runtime.Npm.ToString());
    }
}
