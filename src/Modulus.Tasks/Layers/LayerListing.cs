using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace Modulus.Layers;

/// <summary>
/// A text listing of a layer, one line per entry in archive order, for tests and golden files
/// that must say what changed, not only that a digest did:
/// <c>TYPE MODE UID:GID SIZE PATH[ -> TARGET]</c>, e.g. <c>- 0644 0:0 12 etc/hostname</c>.
/// Types: '-' file, 'd' directory, 'l' symlink, 'h' hard link, else the tar type flag.
/// </summary>
public static class LayerListing
{
    /// <summary>Lists an uncompressed tar stream.</summary>
    public static string OfTar(Stream tar)
    {
        var listing = new StringBuilder();
        using var reader = new TarReader(tar, leaveOpen: true);
        while (reader.GetNextEntry() is { } entry)
        {
            var mode = Convert.ToString((int)entry.Mode, 8).PadLeft(4, '0');
            listing.Append($"{TypeOf(entry.EntryType)} {mode} {entry.Uid}:{entry.Gid} {entry.Length} {entry.Name}");
            if (entry.EntryType is TarEntryType.SymbolicLink or TarEntryType.HardLink) listing.Append($" -> {entry.LinkName}");
            listing.Append('\n');
        }
        return listing.ToString();
    }

    /// <summary>Lists a gzip-compressed layer blob.</summary>
    public static string OfGzip(Stream blob)
    {
        using var tar = new GZipStream(blob, CompressionMode.Decompress, leaveOpen: true);
        return OfTar(tar);
    }

    private static string TypeOf(TarEntryType type) => type switch
    {
        TarEntryType.RegularFile or TarEntryType.V7RegularFile => "-",
        TarEntryType.Directory => "d",
        TarEntryType.SymbolicLink => "l",
        TarEntryType.HardLink => "h",
        _ => ((char)type).ToString(),
    };
}
