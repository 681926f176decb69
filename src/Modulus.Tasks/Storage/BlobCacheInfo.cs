using System.Globalization;

namespace Modulus.Storage;

/// <summary>The size and number of units of one area of the blob cache (see <see cref="BlobCacheUnit.Area"/>).</summary>
public sealed record BlobCacheArea(string Name, long Size, int Units);

/// <summary>ModulusCacheInfo: what the blob cache holds, by area, and its oldest and newest use. Reads only, so it takes no lock.</summary>
public sealed record BlobCacheInfo(string Root, long? Limit, long Size, int Units, IReadOnlyList<BlobCacheArea> Areas, DateTime? OldestUse, DateTime? NewestUse)
{
    public static BlobCacheInfo Of(string root, long? limit)
    {
        var units = BlobCacheUnits.List(root);
        var areas = units.GroupBy(u => u.Area)
            .Select(g => new BlobCacheArea(g.Key, g.Sum(u => u.Size), g.Count()))
            .OrderBy(a => a.Name, StringComparer.Ordinal)
            .ToArray();
        var used = units.Where(u => u.Area != BlobCacheUnit.Unfinished).Select(u => u.LastUse).ToArray();
        return new BlobCacheInfo(Path.GetFullPath(root), limit, units.Sum(u => u.Size), units.Count, areas,
            used.Length == 0 ? null : used.Min(), used.Length == 0 ? null : used.Max());
    }

    /// <summary>The lines ModulusCacheInfo prints (docs/images.md, "The blob cache's size").</summary>
    public IEnumerable<string> Lines()
    {
        yield return $"Blob cache {Root}: {BlobCacheLimit.Format(Size)} in {Units} units, limit {BlobCacheLimit.Describe(Limit)}";
        foreach (var area in Areas)
            yield return string.Create(CultureInfo.InvariantCulture, $"  {area.Name,-16} {BlobCacheLimit.Format(area.Size),10} {area.Units,8} units");
        yield return OldestUse is { } oldest && NewestUse is { } newest
            ? string.Create(CultureInfo.InvariantCulture, $"  Least recently used {oldest:yyyy-MM-dd HH:mm:ss}Z, most recently used {newest:yyyy-MM-dd HH:mm:ss}Z")
            : "  Empty";
    }
}
