namespace Modulus.Storage;

/// <summary>
/// Marks a unit of the blob cache as used now, for least-recently-used pruning
/// (<see cref="BlobCachePruner"/>): its modification time is its last use. Only the time of the
/// file or folder itself changes, never a byte of it, and no output reads that time (layers take
/// theirs from SOURCE_DATE_EPOCH), so images do not change. A cache that cannot be written (read
/// only, another owner) is used as it is: failing here would fail a publish for a hint.
/// </summary>
internal static class CacheUse
{
    public static void TouchFile(string path) => Touch(path, folder: false);

    /// <summary>An extracted folder (debian/unpacked, npm/extracted, dotnet/packs): the folder is the unit, its files keep their times.</summary>
    public static void TouchFolder(string path) => Touch(path, folder: true);

    private static void Touch(string path, bool folder)
    {
        try
        {
            if (folder) Directory.SetLastWriteTimeUtc(path, DateTime.UtcNow);
            else File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // Gone meanwhile, or not ours to change: the unit may be pruned earlier than its use deserves, nothing worse.
        }
    }
}
