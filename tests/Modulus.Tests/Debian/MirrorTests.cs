using Modulus.Debian;
using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Layers;
using Modulus.Oci;
using Modulus.Storage;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Debian;

/// <summary>
/// Against the Debian mirror this machine's apt is configured with (never named here). The
/// tests share one cache folder, so the indexes and .debs are fetched once per machine.
/// </summary>
[NonParallelizable]
public class MirrorTests
{
    private static readonly string CacheRoot = DebianCache.Folder;

    private static IReadOnlyList<DebianSource> ConfiguredSources()
    {
        var sources = AptSources.ForSuite(AptSources.Read("/etc/apt"), "bookworm");
        if (sources.Count == 0)
        {
            const string message = "this machine's apt has no bookworm source to test against";
            if (Tools.InCi) Assert.Fail(message);
            Assert.Ignore(message);
        }
        return sources;
    }

    private static DebianRequest Request(string lockPath) => new()
    {
        Packages = ["bash", "coreutils"],
        MinimalSystem = false,
        LockFilePath = lockPath,
    };

    [Test]
    public async Task The_real_InRelease_verifies_and_a_tampered_copy_is_refused()
    {
        var source = ConfiguredSources()[0];
        using var http = new HttpClient();
        var uri = $"{source.BaseUri}/dists/{source.Suite}/InRelease";
        var text = await http.GetStringAsync(uri);
        var verifier = InReleaseVerifier.FromKeyring(DebianRequest.DefaultKeyringPath);

        var release = ReleaseFile.Parse(verifier.Verify(text, uri));
        release.Files.Keys.ShouldContain("main/binary-amd64/Packages.xz");

        var line = text.Split('\n').First(l => l.Contains("main/binary-amd64/Packages.xz", StringComparison.Ordinal));
        var tampered = text.Replace(line, line[..2] + (line[2] == '0' ? '1' : '0') + line[3..]);
        Should.Throw<ModulusException>(() => verifier.Verify(tampered, uri)).Code.ShouldBe("MOD3003");
    }

    [Test]
    public async Task Bash_and_coreutils_install_from_scratch_and_a_warm_locked_build_asks_the_network_nothing()
    {
        ConfiguredSources();
        using var project = new TempDirectory("debian");
        var lockPath = project.Combine("packages.lock.json");
        var store = new BlobStore(CacheRoot);
        var scratch = Image.Scratch(Platform.LinuxAmd64);

        var counting = new CountingHandler(new HttpClientHandler());
        using var http = new HttpClient(counting);
        var first = await DebianInstaller.PlanAsync(Request(lockPath), scratch, store, http);

        var entries = first.Entries.ToDictionary(e => e.Path.Value);
        entries["/usr/bin/bash"].ShouldBeOfType<FileEntry>().Mode.ShouldBe(0b111_101_101);
        entries["/bin"].ShouldBeOfType<SymlinkEntry>().Target.ShouldBe("usr/bin");
        entries["/lib64"].ShouldBeOfType<SymlinkEntry>().Target.ShouldBe("usr/lib64");
        entries.ShouldContainKey("/usr/bin/ls");
        entries.Keys.ShouldNotContain("/bin/bash", "files under merged folders land below /usr");
        var status = ReadText(entries["/var/lib/dpkg/status"]);
        status.ShouldContain("Package: bash\nStatus: install ok installed\n");
        status.ShouldContain("Package: coreutils\nStatus: install ok installed\n");
        ReadText(entries["/var/lib/dpkg/info/bash.list"]).Split('\n').ShouldContain("/bin/bash");
        first.Lock.Packages.Select(p => p.Name).ShouldContain("libc6");
        var layer = store.WriteLayer(first.Entries, LayerWriterOptions.Default);
        var written = ImageFileSystem.Read([layer]);
        written.Resolve(UnixPath.Parse("/bin/bash")).ShouldBe(UnixPath.Parse("/usr/bin/bash"));
        written.Get(UnixPath.Parse("/lib64/ld-linux-x86-64.so.2")).ShouldBeNull("the loader lives below /usr/lib64 and /lib64 is a link");
        written.Resolve(UnixPath.Parse("/lib64/ld-linux-x86-64.so.2")).ShouldNotBeNull();
        File.Exists(lockPath).ShouldBeTrue();

        var warm = new CountingHandler(new HttpClientHandler());
        using var warmHttp = new HttpClient(warm);
        var second = await DebianInstaller.PlanAsync(Request(lockPath), scratch, store, warmHttp);

        warm.Requests.ShouldBeEmpty();
        second.Lock.ShouldBeEquivalentTo(first.Lock);
        second.Entries.Select(Describe).ShouldBe(first.Entries.Select(Describe));
    }

    [Test]
    public async Task The_installed_bash_and_coreutils_run_from_the_written_layer()
    {
        ConfiguredSources();
        var chroot = Tools.Require("chroot");
        var tar = Tools.Require("tar");
        if (Environment.UserName != "root")
        {
            if (Tools.InCi) Assert.Fail("chroot needs root, which CI runs as");
            Assert.Ignore("chroot needs root");
        }
        using var project = new TempDirectory("debian");
        var store = new BlobStore(CacheRoot);
        var installation = await DebianInstaller.PlanAsync(Request(project.Combine("packages.lock.json")), Image.Scratch(Platform.LinuxAmd64), store, new HttpClient());
        var layer = (BlobLayer)installation.WriteLayer(store, LayerWriterOptions.Default).Layer;
        var root = project.Combine("root");
        Directory.CreateDirectory(root);
        Tools.RunChecked(tar, ["-xzf", layer.BlobPath, "-C", root]);

        var result = Tools.RunChecked(chroot, [root, "/bin/bash", "-c", "echo \"$BASH_VERSION\"; ls -d /usr/bin/ls; readlink /bin"]);

        result.StdOut.ShouldStartWith("5.");
        result.StdOut.ShouldContain("/usr/bin/ls\nusr/bin\n");
    }

    [Test]
    public async Task A_scratch_image_resolves_to_the_minimal_system_with_usr_is_merged()
    {
        ConfiguredSources();
        var request = new DebianRequest { Packages = ["bash"] };

        var locked = await DebianInstaller.ResolveAsync(request, Image.Scratch(Platform.LinuxAmd64), new BlobStore(CacheRoot), new HttpClient());

        locked.MinimalSystem.ShouldBeTrue("an empty base has no dpkg database");
        var names = locked.Packages.Select(p => p.Name).ToList();
        names.ShouldContain("base-passwd");
        names.ShouldContain("dpkg");
        names.ShouldContain("usr-is-merged");
        names.ShouldNotContain("usrmerge");
        names.IndexOf("libc6").ShouldBeLessThan(names.IndexOf("dpkg"), "dependencies come first");
        locked.Indexes.Select(i => i.Suite).ShouldContain("bookworm");
        locked.Indexes.ShouldAllBe(i => i.Date.Length > 0);
    }

    [Test]
    public async Task Hello_for_amd64_and_arm64_goes_into_one_lock_each_from_its_own_index()
    {
        ConfiguredSources();
        using var project = new TempDirectory("debian");
        var lockPath = project.Combine("packages.lock.debian.json");
        var request = new DebianRequest { Packages = ["hello"], MinimalSystem = false, LockFilePath = lockPath };
        var store = new BlobStore(CacheRoot);
        using var http = new HttpClient();

        var amd64 = await DebianInstaller.ResolveAsync(request, Image.Scratch(Platform.LinuxAmd64), store, http);
        var amd64File = File.ReadAllBytes(lockPath);
        var arm64 = await DebianInstaller.PlanAsync(request, Image.Scratch(Platform.Parse("linux/arm64")), store, http);

        var file = DebianLockFile.Read(lockPath);
        file.Architectures.ShouldBe(["amd64", "arm64"]);
        new DebianLockFile([file.For("amd64")!]).ToBytes().ShouldBe(amd64File);
        DebianLockFileTests.Text(file.For("arm64")).ShouldBe(DebianLockFileTests.Text(arm64.Lock));
        amd64.Packages.ShouldAllBe(p => p.Architecture == "amd64" || p.Architecture == "all");
        arm64.Lock.Packages.ShouldAllBe(p => p.Architecture == "arm64" || p.Architecture == "all");
        arm64.Lock.Packages.ShouldAllBe(p => p.Filename.EndsWith("_arm64.deb") || p.Filename.EndsWith("_all.deb"));
        arm64.Lock.Packages.Select(p => p.Name).ShouldContain("libc6");
        // The .debs themselves, not only the index, say arm64: dpkg's status is written from their control files.
        var status = ReadText(arm64.Entries.Single(e => e.Path.Value == "/var/lib/dpkg/status"));
        status.ShouldContain("Package: hello\nStatus: install ok installed\n");
        status.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).ShouldAllBe(p => p.Contains("\nArchitecture: arm64\n") || p.Contains("\nArchitecture: all\n"));
    }

    private static string Describe(LayerEntry entry) => entry switch
    {
        FileEntry f => $"{f.Path} file {f.Mode} {f.Uid}:{f.Gid} {f.Content.Length}",
        SymlinkEntry s => $"{s.Path} -> {s.Target}",
        _ => $"{entry.Path} {entry.GetType().Name} {entry.Mode}",
    };

    private static string ReadText(LayerEntry entry)
    {
        using var reader = new StreamReader(entry.ShouldBeOfType<FileEntry>().Content.OpenRead());
        return reader.ReadToEnd();
    }
}
