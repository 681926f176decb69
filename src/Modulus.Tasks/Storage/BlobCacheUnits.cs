namespace Modulus.Storage;

/// <summary>
/// One thing the blob cache can lose as a whole: a file (a blob, an index, a memo), or an
/// extracted folder (<c>debian/unpacked/X</c>, <c>npm/extracted/X</c>,
/// <c>dotnet/packs/V/RID/X</c>), whose files mean something only together. <see cref="Area"/> is
/// where it lives (<c>sha256</c>, <c>debian/unpacked</c>, ...), or <c>unfinished</c> for what a
/// writer left half done (hidden temporary files and folders, <c>staging/</c>).
/// <see cref="LastUse"/> is its modification time, which every use renews (<see cref="CacheUse"/>).
/// <see cref="Size"/> counts each file in whole 4 KiB blocks, as file systems store them: the
/// cache holds thousands of memos of a few hundred bytes, whose bytes alone would understate
/// the disk they take.
/// </summary>
public sealed record BlobCacheUnit(string Path, string Area, bool IsFolder, long Size, DateTime LastUse)
{
    public const string Unfinished = "unfinished";
}

/// <summary>Lists the units of a blob cache (see <see cref="BlobCacheUnit"/>).</summary>
public static class BlobCacheUnits
{
    private const long Block = 4096;

    /// <summary>Folders of extracted units, as the segments below the root before the unit's own name.</summary>
    private static readonly string[][] ExtractedParents = [["debian", "unpacked"], ["npm", "extracted"], ["dotnet", "packs", "*", "*"]];

    /// <summary>Areas named by two segments (their first segment holds several kinds of unit).</summary>
    private static readonly HashSet<string> TwoLevelAreas = new(StringComparer.Ordinal) { "debian", "npm", "dotnet" };

    private static readonly EnumerationOptions Everything = new()
    {
        RecurseSubdirectories = false, AttributesToSkip = 0, IgnoreInaccessible = true, ReturnSpecialDirectories = false,
    };

    /// <summary>Every unit under <paramref name="root"/>, in no order; the lock and the check stamp are not units.</summary>
    public static IReadOnlyList<BlobCacheUnit> List(string root)
    {
        var units = new List<BlobCacheUnit>();
        var full = System.IO.Path.GetFullPath(root);
        if (Directory.Exists(full)) Walk(new DirectoryInfo(full), [], units);
        return units;
    }

    private static void Walk(DirectoryInfo folder, List<string> segments, List<BlobCacheUnit> units)
    {
        foreach (var entry in Entries(folder))
        {
            if (segments.Count == 0 && entry.Name is BlobCacheLock.FileName or BlobCachePruner.StampName) continue;
            // Modulus writes no links of its own here: one is the user's (an area moved to another
            // disk), neither counted nor ever removed.
            if ((entry.Attributes & FileAttributes.ReparsePoint) != 0) continue;
            var path = new List<string>(segments) { entry.Name };
            var unfinished = IsUnfinished(entry.Name) || path[0] == "staging";
            if (entry is DirectoryInfo sub)
            {
                if (unfinished || IsExtracted(path))
                    units.Add(new BlobCacheUnit(entry.FullName, unfinished ? BlobCacheUnit.Unfinished : AreaOf(path), true, SizeOf(sub), entry.LastWriteTimeUtc));
                else Walk(sub, path, units);
                continue;
            }
            var size = entry is FileInfo file ? Blocks(file.Length) : Block;
            units.Add(new BlobCacheUnit(entry.FullName, unfinished ? BlobCacheUnit.Unfinished : AreaOf(path), false, size, entry.LastWriteTimeUtc));
        }
    }

    /// <summary>The folder's entries; none once it is gone (a publish that runs beside a listing renames its work away).</summary>
    private static IEnumerable<FileSystemInfo> Entries(DirectoryInfo folder)
    {
        try
        {
            return folder.EnumerateFileSystemInfos("*", Everything).ToList();
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
    }

    /// <summary>What writers name their work in progress: hidden (<c>.GUID.partial</c>) or with a temporary suffix (<c>NAME.GUID.tmp</c>, <c>HEX.GUID.partial</c>).</summary>
    private static bool IsUnfinished(string name) =>
        name.StartsWith('.') || name.EndsWith(".partial", StringComparison.Ordinal) || name.EndsWith(".tmp", StringComparison.Ordinal);

    private static bool IsExtracted(List<string> path) =>
        ExtractedParents.Any(parent => path.Count == parent.Length + 1
            && parent.Select((segment, i) => segment == "*" || segment == path[i]).All(x => x));

    private static string AreaOf(List<string> path) =>
        path.Count > 2 && TwoLevelAreas.Contains(path[0]) ? path[0] + "/" + path[1] : path.Count > 1 ? path[0] : "other";

    private static long SizeOf(DirectoryInfo folder)
    {
        long size = Block;
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true };
        try
        {
            foreach (var entry in folder.EnumerateFileSystemInfos("*", options))
                size += entry is FileInfo file && (entry.Attributes & FileAttributes.ReparsePoint) == 0 ? Blocks(file.Length) : Block;
        }
        catch (DirectoryNotFoundException)
        {
            // Renamed away while it was measured: what was counted stands.
        }
        return size;
    }

    private static long Blocks(long length) => (length + Block - 1) / Block * Block;
}
