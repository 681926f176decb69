using System.Text;
using System.Text.Json.Nodes;
using Modulus.Debian;
using Modulus.Diagnostics;
using Modulus.Storage;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Debian;

/// <summary>The lock file's two versions, and two writers adding architectures to one file.</summary>
public class DebianLockFileTests
{
    private TempDirectory _temp = null!;

    [SetUp]
    public void NewFolder() => _temp = new TempDirectory("debian-lock");

    [TearDown]
    public void RemoveFolder()
    {
        RemoveLockFileOf(LockPath);
        _temp.Dispose();
    }

    /// <summary>Removes the OS lock's file of <paramref name="path"/>, which a build leaves (see <see cref="PathLock"/>).</summary>
    internal static void RemoveLockFileOf(string path)
    {
        var lockFile = PathLock.LockFileFor(path);
        if (File.Exists(lockFile)) File.Delete(lockFile);
    }

    /// <summary>A lock as its own version 1 file: records of lists compare by reference, their text by content.</summary>
    internal static string Text(DebianLock? locked) => locked is null ? "(none)" : Encoding.UTF8.GetString(new DebianLockFile([locked]).ToBytes());

    private string LockPath => _temp.Combine("project", "packages.lock.debian.json");

    internal static DebianLock Lock(string architecture, params string[] request) => new(DebianLock.CurrentVersion, "bookworm", architecture,
        request.Length == 0 ? ["hello"] : request, false, [new LockedIndex("bookworm", "main", "Sat, 01 Nov 2025 00:00:00 UTC")],
        [new LockedPackage("hello", "1.0-1+deb12u1", architecture, new string('a', 64), $"pool/main/h/hello/hello_1.0-1+deb12u1_{architecture}.deb", 42, "bookworm", "main")]);

    [TestCase("base", 2)]
    [TestCase("node", 2)]
    [TestCase("dotnet", 2)]
    public void A_committed_lock_holds_its_images_architectures_and_writes_back_byte_for_byte(string image, int architectures)
    {
        var committed = File.ReadAllBytes(RepoPaths.Combine("images", image, "packages.lock.debian.json"));

        var file = DebianLockFile.Parse(committed);

        file.Locks.Count.ShouldBe(architectures);
        file.ToBytes().ShouldBe(committed);
    }

    [Test]
    public void One_architecture_is_written_as_version_1_and_several_as_version_2_sorted()
    {
        new DebianLockFile([Lock("amd64")]).Write(LockPath);
        JsonNode.Parse(File.ReadAllText(LockPath))!["lockVersion"]!.GetValue<int>().ShouldBe(1);

        new DebianLockFile([Lock("arm64"), Lock("amd64"), Lock("armhf")]).Write(LockPath);

        var json = JsonNode.Parse(File.ReadAllText(LockPath))!;
        json["lockVersion"]!.GetValue<int>().ShouldBe(2);
        json["locks"]!.AsArray().Select(l => l!["architecture"]!.GetValue<string>()).ShouldBe(["amd64", "arm64", "armhf"]);
        var read = DebianLockFile.Read(LockPath);
        read.Architectures.ShouldBe(["amd64", "arm64", "armhf"]);
        read.For("arm64")!.Packages.Single().Filename.ShouldEndWith("_arm64.deb");
        read.ToBytes().ShouldBe(File.ReadAllBytes(LockPath));
        File.ReadAllText(LockPath).ShouldContain("1.0-1+deb12u1", Case.Sensitive, "'+' stays readable");
    }

    [Test]
    public void Adding_an_architecture_keeps_the_others_entries_byte_for_byte()
    {
        new DebianLockFile([Lock("amd64"), Lock("armhf")]).Write(LockPath);
        var before = File.ReadAllText(LockPath);

        DebianLockFile.Read(LockPath).With(Lock("arm64")).Write(LockPath);

        var after = File.ReadAllText(LockPath);
        EntryText(after, "amd64").ShouldBe(EntryText(before, "amd64"));
        EntryText(after, "armhf").ShouldBe(EntryText(before, "armhf"));
        after.IndexOf("\"arm64\"", StringComparison.Ordinal).ShouldBeGreaterThan(after.IndexOf("\"amd64\"", StringComparison.Ordinal));
        after.IndexOf("\"arm64\"", StringComparison.Ordinal).ShouldBeLessThan(after.IndexOf("\"armhf\"", StringComparison.Ordinal));
    }

    [Test]
    public void A_version_1_file_becomes_version_2_with_the_same_lock_and_back()
    {
        var amd64 = Lock("amd64");
        new DebianLockFile([amd64]).Write(LockPath);
        var v1 = File.ReadAllBytes(LockPath);

        DebianLockFile.Read(LockPath).With(Lock("arm64")).Write(LockPath);
        var v2 = DebianLockFile.Read(LockPath);

        Text(v2.For("amd64")).ShouldBe(Text(amd64));
        new DebianLockFile([v2.For("amd64")!]).ToBytes().ShouldBe(v1, "an entry is exactly the version 1 lock of its architecture");
    }

    [TestCase("{\"lockVersion\":2}", "no locks")]
    [TestCase("{\"lockVersion\":2,\"locks\":[]}", "no locks")]
    [TestCase("{\"lockVersion\":3,\"locks\":[]}", "lockVersion is 3")]
    [TestCase("[1]", "not a JSON object")]
    [TestCase("{\"lockVersion\":2,\"locks\":[{\"lockVersion\":1,\"suite\":\"bookworm\",\"request\":[],\"minimalSystem\":false,\"indexes\":[],\"packages\":[]}]}", "suite or architecture")]
    public void A_bad_version_2_file_is_MOD3014_naming_the_file(string text, string why)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(LockPath)!);
        File.WriteAllText(LockPath, text);

        var error = Should.Throw<ModulusException>(() => DebianLockFile.Read(LockPath));

        error.Code.ShouldBe("MOD3014");
        error.Message.ShouldContain(LockPath);
        error.Message.ShouldContain(why);
    }

    [Test]
    public void Two_locks_of_one_architecture_or_a_bad_entry_are_MOD3014_naming_the_architecture()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(LockPath)!);
        var twice = Encoding.UTF8.GetString(new DebianLockFile([Lock("amd64"), Lock("arm64")]).ToBytes()).Replace("\"arm64\"", "\"amd64\"");
        File.WriteAllText(LockPath, twice);
        Should.Throw<ModulusException>(() => DebianLockFile.Read(LockPath)).Message.ShouldContain("two locks for architecture amd64");

        var bad = Lock("arm64") with { Packages = [Lock("arm64").Packages[0] with { Filename = "../../x.deb" }] };
        File.WriteAllBytes(LockPath, new DebianLockFile([Lock("amd64"), bad]).ToBytes());
        var error = Should.Throw<ModulusException>(() => DebianLockFile.Read(LockPath));
        error.Code.ShouldBe("MOD3014");
        error.Message.ShouldContain("its arm64 lock: package 'hello' has an invalid sha256 or filename");
    }

    [Test]
    public async Task Writers_adding_different_architectures_at_once_all_survive()
    {
        var architectures = new[] { "amd64", "arm64", "armhf", "i386", "ppc64el", "s390x", "riscv64", "armel" };
        var start = new TaskCompletionSource();

        var writers = architectures.Select(a => Task.Run(async () =>
        {
            await start.Task;
            return await DebianLocking.AddAsync(LockPath, Lock(a), refresh: false, CancellationToken.None);
        })).ToList();
        start.SetResult();
        await Task.WhenAll(writers);

        DebianLockFile.Read(LockPath).Architectures.ShouldBe(architectures.Order(StringComparer.Ordinal));
    }

    [Test]
    public async Task A_holder_of_the_path_keeps_another_waiting_until_it_is_done()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(LockPath)!);
        var held = await PathLock.AcquireAsync(LockPath, CancellationToken.None);
        var second = PathLock.AcquireAsync(LockPath, CancellationToken.None);
        await Task.Delay(100);
        second.IsCompleted.ShouldBeFalse();

        held.Dispose();

        (await second.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
        await Should.ThrowAsync<TimeoutException>(async () =>
        {
            using var first = await PathLock.AcquireAsync(LockPath, CancellationToken.None);
            using var stuck = await PathLock.AcquireAsync(LockPath, CancellationToken.None, TimeSpan.FromMilliseconds(50));
        });
    }

    [Test]
    public async Task Another_process_holding_the_OS_lock_keeps_a_writer_waiting()
    {
        var lockFile = PathLock.LockFileFor(LockPath);
        Directory.CreateDirectory(Path.GetDirectoryName(lockFile)!);
        // A second open file description stands for another process: the OS lock is per opening.
        using (new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            var error = await Should.ThrowAsync<TimeoutException>(() => PathLock.AcquireAsync(LockPath, CancellationToken.None, TimeSpan.FromMilliseconds(200)));
            error.Message.ShouldContain("another process");
        }

        (await PathLock.AcquireAsync(LockPath, CancellationToken.None, TimeSpan.FromSeconds(5))).Dispose();
    }

    [Test]
    public void The_fingerprint_of_a_lock_covers_only_the_architectures_asked_for()
    {
        new DebianLockFile([Lock("amd64")]).Write(LockPath);
        var amd64Alone = DebianLockFile.Fingerprint(LockPath, ["amd64"]);
        var arm64Missing = DebianLockFile.Fingerprint(LockPath, ["arm64"]);

        DebianLockFile.Read(LockPath).With(Lock("arm64")).Write(LockPath);

        DebianLockFile.Fingerprint(LockPath, ["amd64"]).ShouldBe(amd64Alone, "another platform's architecture does not rebuild this one");
        DebianLockFile.Fingerprint(LockPath, ["arm64"]).ShouldNotBe(arm64Missing);
        DebianLockFile.Fingerprint(LockPath, ["arm64", "amd64"]).ShouldBe(DebianLockFile.Fingerprint(LockPath, ["amd64", "arm64"]));
        DebianLockFile.Read(LockPath).With(Lock("amd64", "hello", "mawk")).Write(LockPath);
        DebianLockFile.Fingerprint(LockPath, ["amd64"]).ShouldNotBe(amd64Alone);
    }

    /// <summary>The text of the entry of <paramref name="architecture"/> in a version 2 file, from its brace to its brace.</summary>
    private static string EntryText(string file, string architecture)
    {
        var at = file.IndexOf($"\"architecture\": \"{architecture}\"", StringComparison.Ordinal);
        var start = file.LastIndexOf("    {\n", at, StringComparison.Ordinal);
        var end = file.IndexOf("\n    }", at, StringComparison.Ordinal);
        return file[start..end];
    }
}
