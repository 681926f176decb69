using System.Formats.Tar;
using System.Text;
using System.Text.Json.Nodes;
using Modulus.Debian;
using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Layers;
using Modulus.Oci;
using Modulus.Storage;
using Modulus.Tests.TestSupport;
using static Modulus.Tests.Debian.DebFixture;

namespace Modulus.Tests.Debian;

/// <summary>The whole installation against a signed mirror in memory: trust, caching, lock file, layout and SBOM.</summary>
public class DebianInstallerTests : SignedMirrorTest
{
    protected override string FolderPrefix => "debian";

    [SetUp]
    public void AddPackages()
    {
        Mirror.Add("hello", "1.0-1", Build("hello", "1.0-1",
        [
            new("./usr/bin/hello", Content: "#!/bin/sh\necho hello\n", Mode: 0b111_101_101),
            new("./etc/hello.conf", Content: "greeting=hi\n"),
            new("./usr/share/doc/hello/copyright", Content: "Format: https://copyright-format.invalid/copyright-format/1.0/\n\nFiles: *\nCopyright: 2025 Someone\nLicense: GPL-2+\n"),
        ], controlMembers: new Dictionary<string, string> { ["conffiles"] = "/etc/hello.conf\n" }, extraControl: "Source: hello-src (1.0-1)\n"), "Depends: libgreet (>= 1.1), awk\nSource: hello-src (1.0-1)\n");
        Mirror.Add("libgreet", "1.1", Build("libgreet", "1.1", [new("./lib/libgreet.so.1", Content: "ELF")]));
        Mirror.Add("mawk", "1.3.4", Build("mawk", "1.3.4", [new("./usr/bin/mawk", Content: "awk", Mode: 0b111_101_101)],
            controlMembers: new Dictionary<string, string>
            {
                ["postinst"] = "#!/bin/sh\nset -e\nupdate-alternatives --install /usr/bin/awk awk /usr/bin/mawk 5 \\\n  --slave /usr/bin/nawk nawk /usr/bin/mawk\n",
            }), "Provides: awk\n");
        Mirror.Add("base-passwd", "3.6.1", Build("base-passwd", "3.6.1",
        [
            new("./usr/share/base-passwd/passwd.master", Content: "root:*:0:0:root:/root:/bin/sh\n"),
            new("./usr/share/base-passwd/group.master", Content: "root:*:0:\n"),
        ]));
        Mirror.Add("passwd", "4.13", Build("passwd", "4.13", [new("./usr/sbin/useradd", Content: "useradd", Mode: 0b111_101_101)]));
        Mirror.Add("debianutils", "5.7", Build("debianutils", "5.7",
        [
            new("./usr/share/debianutils/shells", Content: "# /etc/shells: valid login shells\n/bin/sh\n"),
            new("./usr/share/debianutils/shells.d/bash", Content: "/bin/bash\n/usr/bin/bash\n/bin/rbash\n"),
        ]));
        Mirror.Add("ca-certificates", "20230311", Build("ca-certificates", "20230311",
        [
            new("./usr/share/ca-certificates/mozilla/B_Root.crt", Content: "-----BEGIN CERTIFICATE-----\nBBBB\n-----END CERTIFICATE-----\n"),
            new("./usr/share/ca-certificates/mozilla/A_Root.crt", Content: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"),
        ]));
        Mirror.Publish();
    }

    private DebianRequest Request(params string[] packages) =>
        FromMirror(new DebianRequest { Packages = [.. packages], LockFilePath = Temp.Combine("project", "debian.lock.json") });

    [Test]
    public async Task Packages_install_with_dpkg_database_accounts_alternatives_lock_and_sbom()
    {
        var result = await Install(Request("hello", "base-passwd", "passwd", "debianutils"));

        result.Lock.Packages.Select(p => p.Name).ShouldBe(["libgreet", "mawk", "hello", "base-passwd", "passwd", "debianutils"]);
        result.Warnings.ShouldBeEmpty();
        var entries = result.Entries.ToDictionary(e => e.Path.Value);
        entries["/usr/lib/libgreet.so.1"].ShouldBeOfType<FileEntry>("/lib is merged into /usr");
        entries["/usr/bin/awk"].ShouldBeOfType<SymlinkEntry>().Target.ShouldBe("/etc/alternatives/awk");
        entries["/etc/alternatives/awk"].ShouldBeOfType<SymlinkEntry>().Target.ShouldBe("/usr/bin/mawk");
        entries["/usr/bin/nawk"].ShouldBeOfType<SymlinkEntry>().Target.ShouldBe("/etc/alternatives/nawk");
        Read(entries["/var/lib/dpkg/alternatives/awk"]).ShouldBe("auto\n/usr/bin/awk\nnawk\n/usr/bin/nawk\n\n/usr/bin/mawk\n5\n/usr/bin/mawk\n\n");
        Read(entries["/etc/passwd"]).ShouldBe("root:x:0:0:root:/root:/bin/sh\n");
        Read(entries["/etc/group"]).ShouldBe("root:x:0:\n");
        Read(entries["/etc/shadow"]).ShouldBe("root:*::0:99999:7:::\n");
        (entries["/etc/shadow"].Gid, entries["/etc/shadow"].Mode).ShouldBe((42, 0b110_100_000));
        Read(entries["/etc/gshadow"]).ShouldBe("root:*::\n");
        Read(entries["/etc/shells"]).ShouldBe("# /etc/shells: valid login shells\n/bin/sh\n/bin/bash\n/usr/bin/bash\n/bin/rbash\n/usr/bin/rbash\n");
        var status = Read(entries["/var/lib/dpkg/status"]);
        status.ShouldContain("Package: hello\nStatus: install ok installed\n");
        status.ShouldContain("Conffiles:\n /etc/hello.conf " + Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData("greeting=hi\n"u8)) + "\n");
        status.IndexOf("Package: base-passwd", StringComparison.Ordinal).ShouldBeLessThan(status.IndexOf("Package: hello", StringComparison.Ordinal), "dpkg keeps status sorted");
        entries["/var/lib/dpkg/info/mawk.postinst"].Mode.ShouldBe(0b111_101_101);
        Read(entries["/var/lib/dpkg/info/hello.conffiles"]).ShouldBe("/etc/hello.conf\n");

        var sbomPath = Temp.Combine("out", "sbom.spdx.json");
        result.WriteSbom(sbomPath, "hello-image", DateTimeOffset.UnixEpoch);
        var sbom = JsonNode.Parse(File.ReadAllText(sbomPath))!;
        sbom["spdxVersion"]!.GetValue<string>().ShouldBe("SPDX-2.3");
        var hello = sbom["packages"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "hello")!;
        hello["versionInfo"]!.GetValue<string>().ShouldBe("1.0-1");
        hello["licenseDeclared"]!.GetValue<string>().ShouldBe("GPL-2.0-or-later");
        hello["sourceInfo"]!.GetValue<string>().ShouldContain("hello-src");
        hello["externalRefs"]![0]!["referenceLocator"]!.GetValue<string>().ShouldBe("pkg:deb/debian/hello@1.0-1?arch=amd64");

        var appended = result.WriteLayer(Store, LayerWriterOptions.Default);
        appended.CreatedBy.ShouldBe("Modulus: Debian packages hello base-passwd passwd debianutils");
        var image = ImageBuilder.Build(Image.Scratch(Platform.LinuxAmd64), [appended], new ConfigChanges(), DateTimeOffset.UnixEpoch);
        var fileSystem = ImageFileSystem.Read(image.Layers);
        fileSystem.Resolve(UnixPath.Parse("/bin/awk")).ShouldBe(UnixPath.Parse("/usr/bin/mawk"), "the alternatives chain resolves through the merged /bin");
        Encoding.UTF8.GetString(fileSystem.ReadFile(UnixPath.Parse("/etc/hello.conf"))!).ShouldBe("greeting=hi\n");

        var locked = JsonNode.Parse(File.ReadAllText(Request().LockFilePath!))!;
        locked["packages"]![0]!["filename"]!.GetValue<string>().ShouldBe("pool/main/l/libgreet/libgreet_1.1_amd64.deb");
        locked["indexes"]![0]!["date"]!.GetValue<string>().ShouldBe("Sat, 01 Nov 2025 00:00:00 UTC");
    }

    [Test]
    public async Task Ca_certificates_gives_the_trust_bundle_OpenSSL_reads()
    {
        var entries = (await Install(Request("ca-certificates"))).Entries.ToDictionary(e => e.Path.Value);

        Read(entries["/etc/ssl/certs/ca-certificates.crt"]).ShouldBe(
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\nBBBB\n-----END CERTIFICATE-----\n");
        entries["/etc/ssl/certs/A_Root.pem"].ShouldBeOfType<SymlinkEntry>().Target.ShouldBe("/usr/share/ca-certificates/mozilla/A_Root.crt");
        Read(entries["/etc/ca-certificates.conf"]).ShouldEndWith("\nmozilla/A_Root.crt\nmozilla/B_Root.crt\n");
    }

    [Test]
    public async Task A_warm_build_with_its_lock_file_makes_no_request_and_gives_the_same_entries()
    {
        var first = await Install(Request("hello"));
        Mirror.Requests.Clear();

        var second = await Install(Request("hello"));

        Mirror.Requests.ShouldBeEmpty();
        second.Entries.Select(e => e.ToString()).ShouldBe(first.Entries.Select(e => e.ToString()));
    }

    [Test]
    public async Task Packages_download_at_the_same_time_and_install_in_the_locks_order()
    {
        var overlapping = new OverlappingDownloads(Mirror);
        var alone = new BlobStore(Temp.Combine("one-by-one"));
        var reference = await Install(Request("hello", "base-passwd", "passwd", "debianutils"), store: alone);

        var parallel = await Install(Request("hello", "base-passwd", "passwd", "debianutils"), mirror: overlapping);

        overlapping.Alone.ShouldBe(0, "a package waited 20 s for another download to start");
        parallel.Entries.Select(e => e.ToString()).ShouldBe(reference.Entries.Select(e => e.ToString().Replace(alone.Root, Store.Root, StringComparison.Ordinal)));
        parallel.Packages.Select(p => p.Name).ShouldBe(reference.Packages.Select(p => p.Name));
    }

    /// <summary>Holds every .deb request until a second one has come (20 s at the most): only downloads made at the same time pass at once.</summary>
    private sealed class OverlappingDownloads(HttpMessageHandler mirror) : DelegatingHandler(mirror)
    {
        private readonly TaskCompletionSource _second = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _seen;
        private int _alone;

        public int Alone => _alone;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.AbsolutePath.EndsWith(".deb", StringComparison.Ordinal))
            {
                if (Interlocked.Increment(ref _seen) >= 2) _second.TrySetResult();
                if (await Task.WhenAny(_second.Task, Task.Delay(TimeSpan.FromSeconds(20), cancellationToken)) != _second.Task) Interlocked.Increment(ref _alone);
            }
            return await base.SendAsync(request, cancellationToken);
        }
    }

    [Test]
    public async Task A_lock_for_another_request_fails_until_refreshed()
    {
        await Install(Request("hello"));

        (await Should.ThrowAsync<ModulusException>(() => Install(Request("mawk")))).Code.ShouldBe("MOD3015");

        var refreshed = await Install(Request("mawk") with { RefreshLock = true });
        refreshed.Lock.Request.ShouldBe(["mawk"]);
        DebianLockFile.Read(Request().LockFilePath!).Locks.Single().Request.ShouldBe(["mawk"]);
    }

    [TestCase("../../../../etc", "pool/x.deb", Description = "a hash that would name a folder outside the cache")]
    [TestCase("0000000000000000000000000000000000000000000000000000000000000000", "../../x.deb", Description = "a filename climbing out of the mirror")]
    public async Task A_lock_file_with_a_bad_hash_or_filename_is_refused(string sha256, string filename)
    {
        await Install(Request("libgreet"));
        var path = Request().LockFilePath!;
        var good = DebianLockFile.Read(path).Locks.Single();
        new DebianLockFile([good with { Packages = [good.Packages[0] with { Sha256 = sha256, Filename = filename }] }]).Write(path);

        (await Should.ThrowAsync<ModulusException>(() => Install(Request("libgreet")))).Code.ShouldBe("MOD3014");
    }

    [Test]
    public async Task A_deb_whose_hash_does_not_match_is_refused_and_not_cached()
    {
        var filename = "pool/main/l/libgreet/libgreet_1.1_amd64.deb";
        Mirror.Override[filename] = Build("libgreet", "1.1", [new("./lib/libgreet.so.1", Content: "EVIL")]);

        var error = await Should.ThrowAsync<ModulusException>(() => Install(Request("hello")));

        error.Code.ShouldBe("MOD3007");
        error.Message.ShouldContain(filename);
        var expected = Digest.Compute(Mirror[filename]);
        Store.Contains(expected).ShouldBeFalse();
        Store.Contains(Digest.Compute(Mirror.Override[filename])).ShouldBeFalse();
        Directory.Exists(Path.Combine(Store.Root, "debian", "unpacked", expected.Encoded)).ShouldBeFalse();
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task Setuid_and_setgid_bits_are_cleared_on_request_and_recorded_for_dpkg(bool clear)
    {
        Mirror.Add("login-tools", "1.0", Build("login-tools", "1.0",
        [
            new("./bin/su", Content: "su", Mode: 0b100_111_101_101),
            new("./usr/bin/chage", Content: "chage", Mode: 0b010_111_101_101, Gid: 42),
            new("./usr/bin/plain", Content: "plain", Mode: 0b111_101_101),
        ]));
        Mirror.Publish();

        var result = await Install(Request("login-tools") with { ClearSetuid = clear });

        var entries = result.Entries.ToDictionary(e => e.Path.Value);
        entries["/usr/bin/su"].Mode.ShouldBe(clear ? 0b111_101_101 : 0b100_111_101_101);
        entries["/usr/bin/chage"].Mode.ShouldBe(clear ? 0b111_101_101 : 0b010_111_101_101);
        entries["/usr/bin/plain"].Mode.ShouldBe(0b111_101_101);
        if (!clear)
        {
            entries.ShouldNotContainKey(StatOverride.FilePath);
            return;
        }
        var overrides = Read(entries[StatOverride.FilePath]);
        overrides.ShouldBe("#0 #0 755 /bin/su\n#0 #42 755 /usr/bin/chage\n", "the paths the package names, as dpkg looks them up");

        // dpkg itself reads the file it will apply on an upgrade.
        Tools.Require("dpkg-statoverride");
        var admin = Temp.Combine("dpkg-admin");
        Directory.CreateDirectory(admin);
        File.WriteAllText(Path.Combine(admin, "statoverride"), overrides);
        var listed = Tools.RunChecked("dpkg-statoverride", ["--admindir", admin, "--list"]).StdOut;
        listed.ShouldContain("755 /bin/su");
        listed.ShouldContain("755 /usr/bin/chage");
    }

    [Test]
    public async Task A_setuid_file_a_later_package_replaces_leaves_no_stat_override()
    {
        Mirror.Add("login-tools", "1.0", Build("login-tools", "1.0",
        [
            new("./usr/bin/su", Content: "su", Mode: 0b100_111_101_101),
            new("./usr/bin/newgrp", Content: "newgrp", Mode: 0b100_111_101_101),
        ]));
        Mirror.Add("plain-su", "1.0", Build("plain-su", "1.0", [new("./usr/bin/su", Content: "plain su", Mode: 0b111_101_101)]), "Depends: login-tools\n");
        Mirror.Publish();

        var result = await Install(Request("plain-su") with { ClearSetuid = true });

        var entries = result.Entries.ToDictionary(e => e.Path.Value);
        Read(entries["/usr/bin/su"]).ShouldBe("plain su");
        Read(entries[StatOverride.FilePath]).ShouldBe("#0 #0 755 /usr/bin/newgrp\n");
    }

    [Test]
    public void A_base_images_stat_overrides_are_kept_with_their_names_and_only_the_mode_changes()
    {
        var merged = StatOverride.Merge("root crontab 2755 /usr/bin/crontab\nroot root 4755 /bin/su\n",
            [new StatOverride("/bin/su", 0, 0, 0b111_101_101), new StatOverride("/usr/bin/chage", 0, 42, 0b111_101_101)]);

        merged.ShouldBe("root crontab 2755 /usr/bin/crontab\nroot root 755 /bin/su\n#0 #42 755 /usr/bin/chage\n");
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task A_base_images_stat_override_gives_a_package_file_its_owner_and_mode(bool clear)
    {
        Mirror.Add("login-tools", "1.0", Build("login-tools", "1.0", [new("./usr/bin/chage", Content: "chage", Mode: 0b111_101_101)]));
        Mirror.Publish();
        var layer = Store.WriteLayer(
        [
            new FileEntry(UnixPath.Parse("/etc/passwd"), FileContent.FromText("root:x:0:0:root:/root:/bin/sh\n")),
            new FileEntry(UnixPath.Parse("/etc/group"), FileContent.FromText("root:x:0:\nshadow:x:42:\n")),
            new FileEntry(UnixPath.Parse(StatOverride.FilePath), FileContent.FromText("root shadow 2755 /usr/bin/chage\n")),
        ], LayerWriterOptions.Default);
        var baseImage = ImageBuilder.Build(Image.Scratch(Platform.LinuxAmd64), [new AppendedLayer(layer, "test: accounts")], new ConfigChanges(), DateTimeOffset.UnixEpoch);

        var result = await Install(Request("login-tools") with { ClearSetuid = clear }, baseImage);

        var entries = result.Entries.ToDictionary(e => e.Path.Value);
        (entries["/usr/bin/chage"].Gid, entries["/usr/bin/chage"].Mode).ShouldBe((42, clear ? 0b111_101_101 : 0b010_111_101_101));
        if (clear) Read(entries[StatOverride.FilePath]).ShouldBe("root shadow 755 /usr/bin/chage\n");
        else entries.ShouldNotContainKey(StatOverride.FilePath, "the base's file stays as it is");
    }

    [Test]
    public async Task A_locked_deb_the_mirror_has_dropped_says_to_refresh_the_lock()
    {
        await Install(Request("libgreet"));
        Mirror.Drop("libgreet", "1.1");
        var coldCache = new BlobStore(Temp.Combine("cold-store"));

        var error = await Should.ThrowAsync<ModulusException>(() =>
            Install(Request("libgreet"), store: coldCache));

        error.Code.ShouldBe("MOD3122");
        error.Message.ShouldContain("libgreet 1.1");
        error.Message.ShouldContain("pool/main/l/libgreet/libgreet_1.1_amd64.deb");
        error.Message.ShouldContain("ModulusDebianRefreshLock=true");
        Directory.Exists(Path.Combine(coldCache.Root, "debian", "unpacked")).ShouldBeFalse("nothing was unpacked");
    }

    [TestCase("dropped", Description = "the first source has dropped the version")]
    [TestCase("down", Description = "the first source is down")]
    [TestCase("tampered", Description = "the first source serves other bytes")]
    public async Task A_locked_deb_comes_from_the_next_apt_source_of_the_suite(string firstSource)
    {
        await Install(Request("libgreet"));
        var archive = new FakeMirror();
        archive.Add("libgreet", "1.1", Mirror["pool/main/l/libgreet/libgreet_1.1_amd64.deb"]);
        if (firstSource == "dropped") Mirror.Drop("libgreet", "1.1");
        if (firstSource == "down") Mirror.Unavailable = 3;
        if (firstSource == "tampered") Mirror.Override["pool/main/l/libgreet/libgreet_1.1_amd64.deb"] = Build("libgreet", "1.1", [new("./lib/libgreet.so.1", Content: "EVIL")]);
        var apt = Temp.Combine("apt");
        Directory.CreateDirectory(apt);
        File.WriteAllText(Path.Combine(apt, "sources.list"),
            $"deb {FakeMirror.Root} bookworm main\ndeb {ArchiveRoot} bookworm main\n");
        var request = Request("libgreet") with { Mirror = null, AptConfigurationRoot = apt };

        var result = await DebianInstaller.PlanAsync(request, Image.Scratch(Platform.LinuxAmd64),
            new BlobStore(Temp.Combine("cold-store")), new HttpClient(new TwoMirrors(Mirror, archive)));

        result.Entries.ShouldContain(e => e.Path.Value == "/usr/lib/libgreet.so.1");
        archive.Requests.ShouldHaveSingleItem().ShouldEndWith("libgreet_1.1_amd64.deb");
        if (firstSource == "tampered") result.Warnings.ShouldHaveSingleItem().Error.ShouldBe(Errors.DebianPackageHashMismatch);
        else result.Warnings.ShouldBeEmpty();
    }

    private const string ArchiveRoot = "http://archive.invalid/debian";

    /// <summary>Sends requests for <see cref="ArchiveRoot"/> to the second mirror, as if it lived there.</summary>
    private sealed class TwoMirrors(FakeMirror first, FakeMirror second) : DelegatingHandler(first)
    {
        private readonly HttpMessageInvoker _second = new(second);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var uri = request.RequestUri!.ToString();
            if (!uri.StartsWith(ArchiveRoot + "/", StringComparison.Ordinal)) return base.SendAsync(request, cancellationToken);
            request.RequestUri = new Uri(FakeMirror.Root + uri[ArchiveRoot.Length..]);
            return _second.SendAsync(request, cancellationToken);
        }
    }

    [Test]
    public async Task A_missing_file_on_the_mirror_fails_with_the_address()
    {
        var blocked = new FakeMirror();
        var error = await Should.ThrowAsync<ModulusException>(() => Install(Request("hello"), mirror: blocked));
        error.Code.ShouldBe("MOD3002");
        error.Message.ShouldContain(FakeMirror.Root + "/dists/bookworm/InRelease");
        error.Message.ShouldContain("404");
        blocked.Requests.Count.ShouldBe(1, "a 404 is final: no retry");
    }

    [Test]
    public async Task A_mirror_that_is_briefly_unavailable_is_asked_again()
    {
        Mirror.Unavailable = 1;
        var log = new RecordingLog();
        (await DebianInstaller.PlanAsync(Request("libgreet"), Image.Scratch(Platform.LinuxAmd64), Store, new HttpClient(Mirror), progress: new PublishProgress(log)))
            .Lock.Packages.Single().Name.ShouldBe("libgreet");
        log.Details.ShouldHaveSingleItem().ShouldContain("InRelease: the mirror answered 503");
        Mirror.Requests.First().ShouldEndWith("/InRelease");
        Mirror.Requests.Count(r => r.EndsWith("/InRelease", StringComparison.Ordinal)).ShouldBe(2);
    }

    [Test]
    public async Task An_archive_that_offers_indexes_by_hash_is_read_by_hash()
    {
        var fresh = new FakeMirror();
        fresh.Add("libgreet", "1.1", Mirror["pool/main/l/libgreet/libgreet_1.1_amd64.deb"]);
        fresh.Publish(byHash: true);

        var result = await Install(Request("libgreet"), mirror: fresh);

        result.Lock.Packages.Single().Name.ShouldBe("libgreet");
        fresh.Requests.ShouldContain(r => r.Contains("/main/binary-amd64/by-hash/SHA256/", StringComparison.Ordinal));
    }

    [Test]
    public async Task An_index_whose_hash_does_not_match_the_Release_is_refused()
    {
        Mirror.Override["dists/bookworm/main/binary-amd64/Packages.gz"] = [0x1f, 0x8b, 0, 0];
        (await Should.ThrowAsync<ModulusException>(() => Install(Request("hello")))).Code.ShouldBe("MOD3006");
    }

    [Test]
    public async Task A_Release_signed_by_an_unknown_key_or_changed_after_signing_is_refused()
    {
        var signed = System.Text.Encoding.UTF8.GetString(Mirror["dists/bookworm/InRelease"]);
        Mirror.Override["dists/bookworm/InRelease"] = System.Text.Encoding.UTF8.GetBytes(signed.Replace("Suite: stable", "Suite: stab1e"));
        (await Should.ThrowAsync<ModulusException>(() => Install(Request("hello")))).Code.ShouldBe("MOD3003");

        Mirror.Publish(FakeMirror.NewKey());
        Mirror.Override.Clear();
        var error = await Should.ThrowAsync<ModulusException>(() => Install(Request("hello")));
        error.Code.ShouldBe("MOD3003");
        error.Message.ShouldContain("is not in the keyring");
    }

    [Test]
    public async Task A_genuine_Release_of_another_suite_is_refused()
    {
        Mirror.Publish(codename: "bullseye");
        var error = await Should.ThrowAsync<ModulusException>(() => Install(Request("hello")));
        error.Code.ShouldBe("MOD3018");
        error.Message.ShouldContain("'bullseye'");
    }

    [Test]
    public async Task An_expired_Release_is_refused_and_a_current_one_accepted()
    {
        Mirror.Publish(validUntil: "Sat, 08 Nov 2025 00:00:00 UTC");
        var error = await Should.ThrowAsync<ModulusException>(() => Install(Request("libgreet")));
        error.Code.ShouldBe("MOD3019");
        error.Message.ShouldContain("Sat, 08 Nov 2025 00:00:00 UTC");

        Mirror.Publish(validUntil: DateTimeOffset.UtcNow.AddDays(7).ToString("ddd, dd MMM yyyy HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture));
        (await Install(Request("libgreet"))).Lock.Packages.Single().Name.ShouldBe("libgreet");
    }

    [Test]
    public async Task Turning_verification_off_installs_but_warns_every_build()
    {
        Mirror.Publish(FakeMirror.NewKey());
        var request = Request("libgreet") with { VerifySignatures = false };

        (await Install(request)).Warnings.Single().Error.ShouldBe(Errors.DebianSignaturesNotVerified);
        (await Install(request)).Warnings.Single().Error.ShouldBe(Errors.DebianSignaturesNotVerified, "the locked, warm build warns too");
    }

    [Test]
    public async Task An_unsatisfiable_request_names_the_chain()
    {
        var error = await Should.ThrowAsync<ModulusException>(() => Install(Request("hello", "libgreet (>= 2)")));
        error.Code.ShouldBe("MOD3009");
        error.Message.ShouldContain("libgreet (>= 2): only 1.1 available");
    }

    [Test]
    public async Task On_a_Debian_base_installed_packages_are_kept_and_its_status_is_extended()
    {
        var baseImage = new Image(ImageConfig.Empty(Platform.LinuxAmd64), [TarLayer.Of(
            TarLayer.Symlink("bin", "usr/bin"),
            TarLayer.Symlink("lib", "usr/lib"),
            TarLayer.Directory("usr"),
            TarLayer.Directory("usr/lib"),
            TarLayer.File("usr/lib/libgreet.so.1", "ELF"),
            TarLayer.Directory("run"),
            TarLayer.Directory("var"),
            TarLayer.Symlink("var/run", "/run"),
            TarLayer.File("etc/passwd", "root:x:0:0:root:/root:/bin/bash\n"),
            TarLayer.File("var/lib/dpkg/status",
                "Package: libgreet\nStatus: install ok installed\nVersion: 1.1\nArchitecture: amd64\nDescription: base\n\n" +
                "Package: gone\nStatus: deinstall ok config-files\nVersion: 1\nArchitecture: amd64\n"))]);

        Mirror.Add("daemon", "1.0", Build("daemon", "1.0",
        [
            new("./var/", TarEntryType.Directory, Mode: 0b111_101_101),
            new("./var/run/", TarEntryType.Directory, Mode: 0b111_101_101),
            new("./var/run/daemon/", TarEntryType.Directory, Mode: 0b111_000_000),
            new("./bin/daemon", Content: "run", Mode: 0b111_101_101),
        ]));
        Mirror.Publish();

        var result = await Install(Request("hello", "base-passwd", "daemon"), baseImage);

        result.Lock.MinimalSystem.ShouldBeFalse();
        result.Lock.Packages.Select(p => p.Name).ShouldBe(["mawk", "hello", "base-passwd", "daemon"], "libgreet 1.1 is in the base");
        var entries = result.Entries.ToDictionary(e => e.Path.Value);
        entries.Keys.ShouldNotContain("/var/run", "the base's link to /run is kept");
        entries["/run/daemon"].Mode.ShouldBe(0b111_000_000, "a folder below a linked folder lands in the link's target");
        entries["/usr/bin/daemon"].ShouldBeOfType<FileEntry>();
        entries.Keys.ShouldNotContain("/bin", "the base's merged-/usr links stay as they are");
        entries.Keys.ShouldNotContain("/etc/passwd", "the base's accounts are kept");
        var status = Read(entries["/var/lib/dpkg/status"]);
        status.ShouldStartWith("Package: base-passwd\nStatus: install ok installed\n");
        status.ShouldContain("Package: libgreet\nStatus: install ok installed\nVersion: 1.1\n");
        status.ShouldNotContain("Package: gone", customMessage: "only installed packages of the base count");
    }

    private static string Read(LayerEntry entry)
    {
        using var reader = new StreamReader(entry.ShouldBeOfType<FileEntry>().Content.OpenRead());
        return reader.ReadToEnd();
    }
}
