using System.Collections;
using Modulus.Layers;

namespace Modulus.Images;

/// <summary>How the view holds its layers' entries: inline in one array per layer, not an object each.</summary>
public sealed partial class ImageFileSystem
{
    /// <summary>
    /// One entry of a layer, as <see cref="LayerReaderEntry"/> says it, in 40 bytes inline in its
    /// layer's list: a layer of a million entries is then one array, not a million objects of 80
    /// bytes and their references. The path's string is the one the merged view keys its node by.
    /// A file's kept body or head and a link's target share one field: no entry has both.
    /// </summary>
    private readonly struct ViewEntry
    {
        private const byte MarkerMask = 0b11;
        private const byte ExtraIsHead = 0b100;

        private readonly object? _extra;
        private readonly byte _type;
        private readonly byte _flags;

        public UnixPath Path { get; }

        public long Size { get; }

        public int Uid { get; }

        public int Gid { get; }

        public int Mode { get; }

        private ViewEntry(LayerReaderEntry entry)
        {
            Path = entry.Path;
            Size = entry.Size;
            Uid = entry.Uid;
            Gid = entry.Gid;
            Mode = entry.Mode;
            _type = (byte)entry.Type;
            _flags = (byte)((byte)entry.Marker | (entry.Content is null && entry.Head is not null ? ExtraIsHead : 0));
            _extra = (object?)entry.LinkTarget ?? entry.Content ?? entry.Head;
        }

        public static ViewEntry Of(LayerReaderEntry entry) => new(entry);

        public NodeType Type => (NodeType)_type;

        public LayerEntryMarker Marker => (LayerEntryMarker)(_flags & MarkerMask);

        public string? LinkTarget => _extra as string;

        public byte[]? Content => (_flags & ExtraIsHead) == 0 ? _extra as byte[] : null;

        public byte[]? Head => (_flags & ExtraIsHead) != 0 ? _extra as byte[] : null;

        public LayerReaderEntry ToReaderEntry() => new(Path, Type, Uid, Gid, Mode, Size, LinkTarget, Marker, Content, Head);
    }

    /// <summary>
    /// A layer of the view: its entries in archive order (with the bodies kept when it was read),
    /// and for a layer this process wrote, its contents, where every body is at hand.
    /// </summary>
    private sealed class ViewLayer(ILayer layer, List<ViewEntry> entries, LayerContents? contents)
    {
        public ILayer Layer { get; } = layer;

        public List<ViewEntry> Entries { get; } = entries;

        public LayerContents? Contents { get; } = contents;
    }

    /// <summary>
    /// Where a path's node comes from: the entry at <see cref="Ordinal"/> of layer <see cref="Layer"/>,
    /// or, when <see cref="Ordinal"/> is <see cref="ImpliedOrdinal"/>, a folder that layer implied.
    /// The node itself (<see cref="FileSystemNode"/>) is made when asked for.
    /// </summary>
    private readonly record struct NodeRef(int Layer, int Ordinal)
    {
        public const int ImpliedOrdinal = -1;

        public bool IsImplied => Ordinal == ImpliedOrdinal;
    }

    /// <summary>A layer's entries as <see cref="LayerReaderEntry"/> records, made one at a time: what a memo writes.</summary>
    private sealed class ReaderEntries(List<ViewEntry> entries) : IReadOnlyList<LayerReaderEntry>
    {
        public LayerReaderEntry this[int index] => entries[index].ToReaderEntry();

        public int Count => entries.Count;

        public IEnumerator<LayerReaderEntry> GetEnumerator()
        {
            for (var i = 0; i < entries.Count; i++) yield return entries[i].ToReaderEntry();
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    private static List<ViewEntry> ViewEntries(IReadOnlyList<LayerReaderEntry> entries)
    {
        var list = new List<ViewEntry>(entries.Count);
        foreach (var entry in entries) list.Add(ViewEntry.Of(entry));
        return list;
    }
}
