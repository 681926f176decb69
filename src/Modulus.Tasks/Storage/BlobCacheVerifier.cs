using Modulus.Images;
using Modulus.Oci;

namespace Modulus.Storage;

/// <summary>A unit the verify found damaged and removed: <see cref="Blob"/> and <see cref="Actual"/> for a blob that hashes to another digest, else what was wrong.</summary>
public sealed record BlobCacheDamage(string Path, long Size, Digest? Blob, Digest? Actual, string? Problem);

/// <summary>What a verify checked and removed, and what it could not remove.</summary>
public sealed record BlobCacheVerifyResult(string Root, int Checked, long CheckedBytes, IReadOnlyList<BlobCacheDamage> Removed, IReadOnlyList<(string Path, string Reason)> Failed);

/// <summary>
/// ModulusVerifyCache: re-hashes every blob of <c>sha256/</c> and removes each whose bytes do not
/// hash to its name (with its diffID record, computed from the wrong bytes), and checks what has a
/// mark of completeness: an unpacked Debian package must hold its <c>entries.json</c> (written
/// last) and a layer-entries memo must read back (its own SHA-256). Extracted npm tarballs and
/// .NET packs hold no mark: they are renamed into place whole, and their files are written only
/// from a verified tarball or package. Under the exclusive <see cref="BlobCacheLock"/>, so no
/// publish is reading what goes.
/// </summary>
public static class BlobCacheVerifier
{
    /// <summary>The file an unpacked Debian package writes last (Debian's UnpackedPackage.EntriesFile): a folder without it is unfinished.</summary>
    public const string UnpackedPackageMarker = "entries.json";

    public static async Task<BlobCacheVerifyResult> VerifyAsync(string root, CancellationToken cancellationToken, TimeSpan? wait = null)
    {
        using var held = await BlobCacheLock.ExclusiveAsync(root, "verify", cancellationToken, wait);
        var full = Path.GetFullPath(root);
        var store = new BlobStore(full);
        var removed = new List<BlobCacheDamage>();
        var failed = new List<(string, string)>();
        var count = 0;
        long bytes = 0;
        foreach (var unit in BlobCacheUnits.List(full).OrderBy(u => u.Path, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            BlobCacheDamage? damage;
            try
            {
                damage = Check(unit, full, ref count, ref bytes);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Unreadable (another user's file) or gone: told, not a reason to stop checking the rest.
                failed.Add((unit.Path, $"it cannot be read ({e.Message})"));
                continue;
            }
            if (damage is null) continue;
            if (BlobCachePruner.Remove(full, unit) is { } reason)
            {
                failed.Add((unit.Path, reason));
                continue;
            }
            if (damage.Blob is { } blob) store.ForgetDiffId(blob);
            removed.Add(damage);
        }
        return new BlobCacheVerifyResult(full, count, bytes, removed, failed);
    }

    private static BlobCacheDamage? Check(BlobCacheUnit unit, string root, ref int count, ref long bytes)
    {
        var relative = Path.GetRelativePath(root, unit.Path).Replace('\\', '/').Split('/');
        switch (relative)
        {
            case ["sha256", var hex] when Digest.TryParse("sha256:" + hex, out var digest):
            {
                count++;
                var length = new FileInfo(unit.Path).Length;
                bytes += length;
                var actual = BlobHashes.OfFile(unit.Path, digest.Algorithm);
                return actual == digest ? null : new BlobCacheDamage(unit.Path, length, digest, actual, null);
            }
            case ["debian", "unpacked", _] when unit.IsFolder:
                count++;
                return File.Exists(Path.Combine(unit.Path, UnpackedPackageMarker))
                    ? null
                    : new BlobCacheDamage(unit.Path, unit.Size, null, null, $"an unpacked Debian package without its {UnpackedPackageMarker}");
            // Memos of earlier formats are not read by a publish: they are not damage, and a prune ages them out.
            case ["layer-entries", LayerEntriesMemo.FormatFolder, var algorithm, var hex] when Digest.TryParse($"{algorithm}:{hex}", out var diffId):
                count++;
                return LayerEntriesFile.TryRead(File.ReadAllBytes(unit.Path), diffId) is not null
                    ? null
                    : new BlobCacheDamage(unit.Path, unit.Size, null, null, "a layer-entries memo that does not read back");
            default:
                return null;
        }
    }
}
