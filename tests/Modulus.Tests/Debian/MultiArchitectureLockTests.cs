using System.Text;
using Modulus.Debian;
using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Layers;
using Modulus.Oci;
using Modulus.Storage;
using static Modulus.Tests.Debian.DebFixture;

namespace Modulus.Tests.Debian;

/// <summary>
/// One lock file for the platforms of a multi-platform image, against a signed mirror in memory
/// with an amd64 and an arm64 index: an architecture missing from the lock is resolved from its
/// own index and added beside the others, which stay as they were.
/// </summary>
public class MultiArchitectureLockTests : SignedMirrorTest
{
    private static readonly Image Amd64 = Image.Scratch(Platform.LinuxAmd64);
    private static readonly Image Arm64 = Image.Scratch(Platform.Parse("linux/arm64"));

    protected override string FolderPrefix => "debian-arch";

    private string LockPath => Temp.Combine("project", "packages.lock.debian.json");

    [SetUp]
    public void AddPackages()
    {
        foreach (var architecture in new[] { "amd64", "arm64" })
        {
            Mirror.Add("hello", "1.0-1", Build("hello", "1.0-1", [new("./usr/bin/hello", Content: architecture, Mode: 0b111_101_101)]),
                "Depends: libgreet, greet-data\n", architecture);
            Mirror.Add("libgreet", "1.1", Build("libgreet", "1.1", [new("./usr/lib/libgreet.so.1", Content: architecture)]), architecture: architecture);
        }
        Mirror.Add("greet-data", "1.0", Build("greet-data", "1.0", [new("./usr/share/greet/data", Content: "hi")]), architecture: "all");
        Mirror.Add("amd64-only", "1.0", Build("amd64-only", "1.0", [new("./usr/bin/x", Content: "x")]));
        Mirror.Add("needs-amd64-only", "1.0", Build("needs-amd64-only", "1.0", [new("./usr/bin/y", Content: "y")]), "Depends: amd64-only\n", "arm64");
        Mirror.Publish();
    }

    private DebianRequest Request(params string[] packages) => new() { Packages = [.. packages], LockFilePath = LockPath };

    [Test]
    public async Task Arm64_is_resolved_from_its_own_index_and_added_beside_amd64_which_stays_as_it_was()
    {
        var amd64 = await Install(Request("hello"), Amd64);
        var amd64File = File.ReadAllBytes(LockPath);

        var arm64 = await Install(Request("hello"), Arm64);

        Mirror.Requests.ShouldContain(FakeMirror.Root + "/dists/bookworm/main/binary-arm64/Packages.gz");
        arm64.Lock.Architecture.ShouldBe("arm64");
        arm64.Lock.Packages.Select(p => (p.Name, p.Architecture)).ShouldBe([("libgreet", "arm64"), ("greet-data", "all"), ("hello", "arm64")]);
        arm64.Lock.Packages.ShouldAllBe(p => p.Filename.EndsWith("_arm64.deb") || p.Filename.EndsWith("_all.deb"));
        Read(arm64.Entries.Single(e => e.Path.Value == "/usr/bin/hello")).ShouldBe("arm64");
        var file = DebianLockFile.Read(LockPath);
        file.Architectures.ShouldBe(["amd64", "arm64"]);
        new DebianLockFile([file.For("amd64")!]).ToBytes().ShouldBe(amd64File, "the amd64 entry is the lock amd64 wrote");
        DebianLockFileTests.Text(file.For("amd64")).ShouldBe(DebianLockFileTests.Text(amd64.Lock));

        var twoArchitectures = File.ReadAllBytes(LockPath);
        Mirror.Requests.Clear();
        DebianLockFileTests.Text((await Install(Request("hello"), Amd64)).Lock).ShouldBe(DebianLockFileTests.Text(amd64.Lock));
        DebianLockFileTests.Text((await Install(Request("hello"), Arm64)).Lock).ShouldBe(DebianLockFileTests.Text(arm64.Lock));
        Mirror.Requests.ShouldBeEmpty("both architectures are locked and cached");
        File.ReadAllBytes(LockPath).ShouldBe(twoArchitectures);
    }

    [Test]
    public async Task A_package_missing_from_the_arm64_index_names_arm64_and_leaves_the_lock_alone()
    {
        await Install(Request("amd64-only"), Amd64);
        var before = File.ReadAllBytes(LockPath);

        var missing = await Should.ThrowAsync<ModulusException>(() => Install(Request("amd64-only"), Arm64));
        missing.Code.ShouldBe("MOD3008");
        missing.Message.ShouldContain("for arm64");

        var dependency = await Should.ThrowAsync<ModulusException>(() => Install(Request("needs-amd64-only") with { LockFilePath = null }, Arm64));
        dependency.Code.ShouldBe("MOD3009");
        dependency.Message.ShouldContain("amd64-only: not in the arm64 index");
        File.ReadAllBytes(LockPath).ShouldBe(before);
    }

    [Test]
    public async Task A_request_the_lock_does_not_answer_is_MOD3015_naming_the_architecture()
    {
        await Install(Request("hello"), Amd64);

        var added = await Should.ThrowAsync<ModulusException>(() => Install(Request("libgreet"), Arm64));
        added.Code.ShouldBe("MOD3015");
        added.Message.ShouldContain("its amd64 lock was made for 'hello', not 'libgreet'");

        await Install(Request("hello"), Arm64);
        var own = await Should.ThrowAsync<ModulusException>(() => Install(Request("hello") with { Suite = "trixie" }, Arm64));
        own.Code.ShouldBe("MOD3015");
        own.Message.ShouldContain("its arm64 lock is for suite 'bookworm', not 'trixie'");
    }

    [Test]
    public async Task A_refresh_replaces_its_architecture_keeps_entries_of_the_same_request_and_drops_the_others()
    {
        await Install(Request("hello"), Amd64);
        var amd64 = DebianLockFile.Read(LockPath).For("amd64")!;
        await Install(Request("hello"), Arm64);

        await Install(Request("hello") with { RefreshLock = true }, Arm64);
        DebianLockFileTests.Text(DebianLockFile.Read(LockPath).For("amd64")).ShouldBe(DebianLockFileTests.Text(amd64));

        await Install(Request("libgreet") with { RefreshLock = true }, Arm64);
        var file = DebianLockFile.Read(LockPath);
        file.Architectures.ShouldBe(["arm64"], "the amd64 entry answered the request the refresh replaced");
        file.Locks.Single().Request.ShouldBe(["libgreet"]);
        Encoding.UTF8.GetString(File.ReadAllBytes(LockPath)).ShouldStartWith("{\n  \"lockVersion\": 1,");

        (await Install(Request("libgreet"), Amd64)).Lock.Architecture.ShouldBe("amd64");
        DebianLockFile.Read(LockPath).Architectures.ShouldBe(["amd64", "arm64"]);
    }

    [Test]
    public async Task Two_builds_adding_amd64_and_arm64_at_once_both_end_up_in_the_lock()
    {
        var both = await Task.WhenAll(
            Task.Run(() => Install(Request("hello"), Amd64, new BlobStore(Temp.Combine("store-amd64")), Mirror)),
            Task.Run(() => Install(Request("hello"), Arm64, new BlobStore(Temp.Combine("store-arm64")), Mirror)));

        var file = DebianLockFile.Read(LockPath);
        file.Architectures.ShouldBe(["amd64", "arm64"]);
        DebianLockFileTests.Text(file.For("amd64")).ShouldBe(DebianLockFileTests.Text(both[0].Lock));
        DebianLockFileTests.Text(file.For("arm64")).ShouldBe(DebianLockFileTests.Text(both[1].Lock));
    }

    private static string Read(LayerEntry entry)
    {
        using var reader = new StreamReader(entry.ShouldBeOfType<FileEntry>().Content.OpenRead());
        return reader.ReadToEnd();
    }
}
