using Modulus.Diagnostics;
using Modulus.Oci;
using Modulus.Storage;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Storage;

/// <summary>
/// Least-recently-used pruning of the blob cache, its lock against running publishes, and its
/// listing and verify, on real files (docs/images.md, "The blob cache's size").
/// </summary>
public class BlobCachePrunerTests : StoreTest
{
    protected override string FolderPrefix => "cache-prune";

    private static readonly DateTime Long = DateTime.UtcNow.AddDays(-30);

    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(300);

    [Test]
    public async Task Pruning_removes_the_least_recently_used_units_first_down_to_the_limit()
    {
        // Ten blobs of 8 KiB, used one day apart: blob 0 longest ago.
        var blobs = Enumerable.Range(0, 10).Select(i => Blob(i, 8192, Long.AddDays(i))).ToArray();
        var unpacked = Folder("debian/unpacked/" + new string('a', 64), Long.AddDays(20), ("entries.json", 100), ("files/usr/bin/hello", 9000));
        var before = BlobCacheUnits.List(Store.Root).Sum(u => u.Size);
        before.ShouldBe(10 * 8192 + 4 * 4096 + 4096 + 12288, "each file and folder counts in 4 KiB blocks");

        var pruned = await BlobCachePruner.PruneAsync(Store.Root, 64 * 1024, CancellationToken.None);

        pruned.SizeAfter.ShouldBeLessThanOrEqualTo(64 * 1024);
        pruned.SizeAfter.ShouldBe(BlobCacheUnits.List(Store.Root).Sum(u => u.Size));
        // 112 KiB to at most 64: the six oldest blobs go; the rest and the newest folder stay.
        blobs.Take(6).ShouldAllBe(b => !File.Exists(b), "the least recently used");
        blobs.Skip(6).ShouldAllBe(b => File.Exists(b), "used more recently");
        Directory.Exists(unpacked).ShouldBeTrue("the most recently used unit");
        pruned.Summary().ShouldBe($"Pruned the blob cache {Store.Root}: removed 6 of 11 units, 112.0 KB to 64.0 KB, limit 64.0 KB");
    }

    [Test]
    public async Task A_unit_the_store_finds_is_marked_used_and_outlives_newer_ones()
    {
        var old = Blob(0, 8192, Long);
        var newer = Blob(1, 8192, Long.AddDays(1));
        var digest = Digest.Parse("sha256:" + Path.GetFileName(old));

        Store.Contains(digest).ShouldBeTrue();
        await BlobCachePruner.PruneAsync(Store.Root, 8192, CancellationToken.None);

        File.Exists(old).ShouldBeTrue("found by a publish just now");
        File.Exists(newer).ShouldBeFalse("not used since yesterday a month ago");
    }

    [Test]
    public async Task An_area_the_user_linked_to_another_disk_is_neither_counted_nor_removed()
    {
        var elsewhere = Temp.Combine("other-disk");
        Directory.CreateDirectory(elsewhere);
        File.WriteAllBytes(Path.Combine(elsewhere, new string('a', 64)), new byte[10_000]);
        Blob(0, 5000, Long);
        Directory.CreateSymbolicLink(Path.Combine(Store.Root, "npm"), elsewhere);

        BlobCacheUnits.List(Store.Root).Select(u => u.Area).ShouldBe(["sha256"]);
        await BlobCachePruner.PruneAsync(Store.Root, 0, CancellationToken.None);

        Directory.Exists(Path.Combine(Store.Root, "npm")).ShouldBeTrue("the link stays");
        File.Exists(Path.Combine(elsewhere, new string('a', 64))).ShouldBeTrue();
    }

    [Test]
    public async Task An_extracted_folder_goes_as_one_unit_and_never_stays_half_removed()
    {
        var npm = Folder("npm/extracted/" + new string('b', 64), Long, ("package.json", 10), ("lib/index.js", 10));
        var pack = Folder("dotnet/packs/v1/linux-x64/" + new string('c', 64), Long, ("System.Private.CoreLib.dll", 10));

        var units = BlobCacheUnits.List(Store.Root);
        units.Select(u => (u.Area, u.IsFolder)).Order().ShouldBe([("dotnet/packs", true), ("npm/extracted", true)]);

        var pruned = await BlobCachePruner.PruneAsync(Store.Root, 0, CancellationToken.None);

        pruned.Removed.ShouldBe(2);
        Directory.Exists(npm).ShouldBeFalse();
        Directory.Exists(pack).ShouldBeFalse();
        Directory.EnumerateFileSystemEntries(Store.Root).Select(Path.GetFileName).ShouldBe([".lock", "dotnet", "npm"], ignoreOrder: true);
    }

    [Test]
    public async Task What_a_killed_writer_left_goes_at_any_prune_whatever_its_time()
    {
        var partial = WriteFile("sha256/.4242.0123.partial", 100, DateTime.UtcNow);
        var folder = Folder("debian/unpacked/.0123.partial", DateTime.UtcNow, ("control/control", 10));
        var staged = WriteFile("staging/0123", 100, DateTime.UtcNow);
        var kept = Blob(0, 100, Long);

        var pruned = await BlobCachePruner.PruneAsync(Store.Root, null, CancellationToken.None);

        pruned.Removed.ShouldBe(3);
        File.Exists(partial).ShouldBeFalse();
        Directory.Exists(folder).ShouldBeFalse();
        File.Exists(staged).ShouldBeFalse();
        File.Exists(kept).ShouldBeTrue("no limit: only the unfinished go");
    }

    [Test]
    public async Task A_prune_waits_for_a_running_publish_and_then_fails_removing_nothing()
    {
        var blobs = Enumerable.Range(0, 3).Select(i => Blob(i, 100, Long)).ToArray();
        using (await BlobCacheLock.ShareAsync(Store.Root, CancellationToken.None))
        {
            var busy = await Should.ThrowAsync<ModulusException>(() => BlobCachePruner.PruneAsync(Store.Root, 0, CancellationToken.None, Short));
            busy.Code.ShouldBe("MOD2261");
            busy.Message.ShouldContain("a publish is using the cache");
            BlobCachePruner.AfterPublish(Store.Root, 0).ShouldBeNull("the automatic prune skips while another publish runs");
            await Should.ThrowAsync<ModulusException>(() => BlobCacheVerifier.VerifyAsync(Store.Root, CancellationToken.None, Short));
            blobs.ShouldAllBe(b => File.Exists(b));
        }

        (await BlobCachePruner.PruneAsync(Store.Root, 0, CancellationToken.None, Short)).Removed.ShouldBe(3, "once the publish ended");
    }

    [Test]
    public async Task A_prune_that_waits_goes_ahead_the_moment_the_publish_ends()
    {
        Blob(0, 100, Long);
        var publish = await BlobCacheLock.ShareAsync(Store.Root, CancellationToken.None);
        var prune = BlobCachePruner.PruneAsync(Store.Root, 0, CancellationToken.None, TimeSpan.FromSeconds(30));
        await Task.Delay(300);
        prune.IsCompleted.ShouldBeFalse("the publish still runs");
        publish.Dispose();
        (await prune).Removed.ShouldBe(1);
    }

    [Test]
    public async Task A_publish_waits_for_a_prune_and_after_its_wait_fails()
    {
        using var prune = await BlobCacheLock.ExclusiveAsync(Store.Root, "prune", CancellationToken.None);
        var told = 0;
        var busy = await Should.ThrowAsync<ModulusException>(() => BlobCacheLock.ShareAsync(Store.Root, CancellationToken.None, Short, () => told++));
        busy.Code.ShouldBe("MOD2261");
        busy.Text.ShouldBe($"The publish could not take the blob cache's lock '{Path.Combine(Store.Root, ".lock")}' within 0.3 seconds, because a prune or verify of the cache is running. Wait for it to end and try again; a lock held by a process that died is released by the system at once.");
        told.ShouldBe(1, "the publish says once that it waits");
    }

    [Test]
    public void Publishes_share_the_lock()
    {
        using var one = BlobCacheLock.ShareAsync(Store.Root, CancellationToken.None, Short).GetAwaiter().GetResult();
        using var two = BlobCacheLock.ShareAsync(Store.Root, CancellationToken.None, Short).GetAwaiter().GetResult();
        BlobCacheLock.TryExclusive(Store.Root).ShouldBeNull();
    }

    [Test]
    public void After_a_publish_the_cache_is_measured_once_an_hour_and_pruned_below_the_limit()
    {
        var blobs = Enumerable.Range(0, 10).Select(i => Blob(i, 4096, Long.AddDays(i))).ToArray();

        var first = BlobCachePruner.AfterPublish(Store.Root, 9 * 4096);
        var again = BlobCachePruner.AfterPublish(Store.Root, 0);

        first.ShouldNotBeNull();
        first.Target.ShouldBe((long)(9 * 4096 * BlobCacheLimit.LowMark));
        first.SizeAfter.ShouldBeLessThanOrEqualTo(first.Target, "down to 80% of the limit, so the next publishes do not prune at once");
        blobs.Count(File.Exists).ShouldBe(7);
        again.ShouldBeNull("measured less than an hour ago");
        BlobCachePruner.AfterPublish(Store.Root, null).ShouldBeNull("no limit");
        File.SetLastWriteTimeUtc(Path.Combine(Store.Root, ".checked"), DateTime.UtcNow.AddHours(-2));
        var within = BlobCachePruner.AfterPublish(Store.Root, 100 * 4096);
        within.ShouldNotBeNull();
        within.Removed.ShouldBe(0, "within the limit");
    }

    [Test]
    public async Task Verify_removes_and_reports_a_damaged_blob_and_an_unfinished_folder_and_keeps_the_rest()
    {
        var good = Store.Put("good"u8);
        var bad = Store.Put("bad"u8);
        File.WriteAllText(Store.PathOf(bad), "BAD");
        var diffId = Path.Combine(Store.Root, "diffids", bad.Encoded);
        WriteFile("diffids/" + bad.Encoded, 10, Long);
        var whole = Folder("debian/unpacked/" + new string('d', 64), Long, ("entries.json", 10));
        var half = Folder("debian/unpacked/" + new string('e', 64), Long, ("control/control", 10));
        // A memo of the format publishes read that does not read back is damage; one of an earlier format is not read at all.
        var memo = WriteFile($"layer-entries/{LayerEntriesMemo.FormatFolder}/sha256/" + new string('c', 64), 10, Long);
        var oldFormat = WriteFile("layer-entries/v2/sha256/" + new string('c', 64), 10, Long);

        var verified = await BlobCacheVerifier.VerifyAsync(Store.Root, CancellationToken.None);

        verified.Removed.Select(d => d.Path).ShouldBe([Store.PathOf(bad), half, memo], ignoreOrder: true);
        File.Exists(oldFormat).ShouldBeTrue("an earlier format's memo is no damage: a prune ages it out");
        var blob = verified.Removed.Single(d => d.Blob is not null);
        (blob.Blob, blob.Actual, blob.Size).ShouldBe((bad, Digest.Compute("BAD"u8), 3L));
        File.Exists(Store.PathOf(good)).ShouldBeTrue();
        File.Exists(Store.PathOf(bad)).ShouldBeFalse();
        File.Exists(diffId).ShouldBeFalse("computed from the damaged bytes");
        Directory.Exists(whole).ShouldBeTrue();
        Directory.Exists(half).ShouldBeFalse();
        verified.Checked.ShouldBe(5);
    }

    [Test]
    public void The_listing_gives_each_areas_size_and_units_the_limit_and_the_oldest_and_newest_use()
    {
        Blob(0, 5000, new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc));
        WriteFile("layers/" + new string('f', 64), 100, new DateTime(2026, 2, 3, 4, 5, 6, DateTimeKind.Utc));
        Folder("debian/unpacked/" + new string('a', 64), new DateTime(2026, 1, 5, 0, 0, 0, DateTimeKind.Utc), ("entries.json", 10));
        WriteFile("npm/.0123.partial", 10, DateTime.UtcNow);

        var lines = BlobCacheInfo.Of(Store.Root, 10L << 30).Lines().ToArray();

        lines.ShouldBe(
        [
            $"Blob cache {Store.Root}: 24.0 KB in 4 units, limit 10.0 GB",
            "  debian/unpacked      8.0 KB        1 units",
            "  layers               4.0 KB        1 units",
            "  sha256               8.0 KB        1 units",
            "  unfinished           4.0 KB        1 units",
            "  Least recently used 2026-01-02 03:04:05Z, most recently used 2026-02-03 04:05:06Z",
        ]);
        BlobCacheInfo.Of(Temp.Combine("none"), null).Lines().ShouldBe([$"Blob cache {Temp.Combine("none")}: 0 B in 0 units, limit none", "  Empty"]);
    }

    [TestCase("10GB", 10L << 30)]
    [TestCase("500MB", 500L << 20)]
    [TestCase("1.5G", 3L << 29)]
    [TestCase("2GiB", 2L << 30)]
    [TestCase("64 KB", 64L << 10)]
    [TestCase("4096", 4096L)]
    [TestCase("0", 0L)]
    [TestCase("", BlobCacheLimit.Default)]
    [TestCase("none", null)]
    [TestCase("NONE", null)]
    public void A_limit_is_a_size_in_powers_of_1024(string text, long? bytes) => BlobCacheLimit.Parse(text).ShouldBe(bytes);

    [TestCase("ten")]
    [TestCase("10PB")]
    [TestCase("-1GB")]
    [TestCase("1,5GB")]
    [TestCase("99999999999TB")]
    public void Anything_else_is_MOD2260(string text) =>
        Should.Throw<ModulusException>(() => BlobCacheLimit.Parse(text)).Code.ShouldBe("MOD2260");

    private string Blob(int seed, int size, DateTime used)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        var digest = Store.Put(bytes);
        File.SetLastWriteTimeUtc(Store.PathOf(digest), used);
        return Store.PathOf(digest);
    }

    private string WriteFile(string relative, int size, DateTime used)
    {
        var path = Path.Combine(Store.Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, new byte[size]);
        File.SetLastWriteTimeUtc(path, used);
        return path;
    }

    private string Folder(string relative, DateTime used, params (string Name, int Size)[] files)
    {
        var folder = Path.Combine(Store.Root, relative);
        foreach (var (name, size) in files) WriteFile(Path.Combine(relative, name), size, used);
        Directory.SetLastWriteTimeUtc(folder, used);
        return folder;
    }
}
