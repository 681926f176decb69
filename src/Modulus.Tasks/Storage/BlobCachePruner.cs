namespace Modulus.Storage;

/// <summary>What a prune did: the cache before and after, and each unit it could not remove with the reason.</summary>
public sealed record BlobCachePruneResult(string Root, long? Limit, long Target, long SizeBefore, int UnitsBefore, long SizeAfter, int Removed,
    IReadOnlyList<(string Path, string Reason)> Failed)
{
    /// <summary>The line a prune prints (docs/images.md, "The blob cache's size").</summary>
    public string Summary() => Removed > 0
        ? $"Pruned the blob cache {Root}: removed {Removed} of {UnitsBefore} units, {BlobCacheLimit.Format(SizeBefore)} to {BlobCacheLimit.Format(SizeAfter)}, limit {BlobCacheLimit.Describe(Limit)}"
        : $"The blob cache {Root} holds {BlobCacheLimit.Format(SizeAfter)} in {UnitsBefore} units, limit {BlobCacheLimit.Describe(Limit)}: nothing to remove";
}

/// <summary>
/// Keeps the blob cache within ModulusBlobCacheLimit by removing least recently used units
/// (<see cref="BlobCacheUnit"/>) first. Only ever under the exclusive <see cref="BlobCacheLock"/>:
/// no publish runs meanwhile, so nothing a publish has found or is about to use goes, and what a
/// writer left unfinished is known dead and removed too. An extracted folder is renamed out of
/// its place before it is deleted, so a prune that is killed never leaves half a folder where a
/// publish would take it for a whole one. Whatever goes, the next publish fetches, extracts or
/// writes it again, with the same bytes.
/// </summary>
public static class BlobCachePruner
{
    /// <summary>The file in the root whose modification time says when the cache was last measured after a publish.</summary>
    internal const string StampName = ".checked";

    /// <summary>How often a publish measures the cache: measuring walks every file (about a second for tens of thousands).</summary>
    public static readonly TimeSpan CheckEvery = TimeSpan.FromHours(1);

    /// <summary>
    /// ModulusPruneCache: waits for running publishes (up to <paramref name="wait"/>, then
    /// MOD2261), then removes what is unfinished and least recently used units until the cache
    /// holds at most <paramref name="limit"/> (none: only the unfinished go).
    /// </summary>
    public static async Task<BlobCachePruneResult> PruneAsync(string root, long? limit, CancellationToken cancellationToken, TimeSpan? wait = null)
    {
        using var held = await BlobCacheLock.ExclusiveAsync(root, "prune", cancellationToken, wait);
        return PruneLocked(root, limit, limit ?? long.MaxValue);
    }

    /// <summary>
    /// After a publish: when a limit is set, the cache was not measured within
    /// <see cref="CheckEvery"/> and no other publish runs, measures it and, over the limit, prunes it
    /// to <see cref="BlobCacheLimit.LowMark"/> of it. Null when it did not measure (then the next
    /// publish tries). Call with no lock held.
    /// </summary>
    public static BlobCachePruneResult? AfterPublish(string root, long? limit)
    {
        if (limit is not { } bytes || !Directory.Exists(root)) return null;
        var stamp = Path.Combine(root, StampName);
        if (File.Exists(stamp) && DateTime.UtcNow - File.GetLastWriteTimeUtc(stamp) < CheckEvery) return null;
        using var held = BlobCacheLock.TryExclusive(root);
        if (held is null) return null;
        try
        {
            File.WriteAllBytes(stamp, []);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        var units = BlobCacheUnits.List(root);
        var target = units.Sum(u => u.Size) > bytes ? (long)(bytes * BlobCacheLimit.LowMark) : long.MaxValue;
        return PruneLocked(root, limit, target, units);
    }

    private static BlobCachePruneResult PruneLocked(string root, long? limit, long target, IReadOnlyList<BlobCacheUnit>? units = null)
    {
        units ??= BlobCacheUnits.List(root);
        var sizeBefore = units.Sum(u => u.Size);
        var size = sizeBefore;
        var removed = 0;
        var failed = new List<(string, string)>();
        // The unfinished first, whatever their time: no writer of them runs while the lock is exclusive.
        var order = units.OrderBy(u => u.Area == BlobCacheUnit.Unfinished ? 0 : 1)
            .ThenBy(u => u.LastUse)
            .ThenBy(u => u.Path, StringComparer.Ordinal);
        foreach (var unit in order)
        {
            if (unit.Area != BlobCacheUnit.Unfinished && size <= target) break;
            if (Remove(root, unit) is { } reason)
            {
                failed.Add((unit.Path, reason));
                continue;
            }
            size -= unit.Size;
            removed++;
        }
        return new BlobCachePruneResult(Path.GetFullPath(root), limit, target, sizeBefore, units.Count, size, removed, failed);
    }

    /// <summary>Null when the unit is gone; else why it could not be removed.</summary>
    internal static string? Remove(string root, BlobCacheUnit unit)
    {
        try
        {
            if (!unit.IsFolder)
            {
                File.Delete(unit.Path);
                return null;
            }
            var doomed = unit.Path;
            if (unit.Area != BlobCacheUnit.Unfinished)
            {
                // Out of its place first (one rename), so no publish ever finds it half deleted.
                doomed = Path.Combine(Path.GetFullPath(root), ".removing-" + Guid.NewGuid().ToString("N"));
                Directory.Move(unit.Path, doomed);
            }
            Directory.Delete(doomed, recursive: true);
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
    }
}
