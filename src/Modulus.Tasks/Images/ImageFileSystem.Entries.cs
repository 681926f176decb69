using System.Collections;
using Modulus.Layers;

namespace Modulus.Images;

/// <summary>How the view holds its layers' entries: inline in one array per layer, not an object each.</summary>
public sealed partial class ImageFileSystem
{
    /// <summary>
    /// One entry of a layer, as <see cref="LayerReaderEntry"/> says it, in 32 bytes inline in its
    /// layer's arrays: a layer of a million entries is then a few arrays, not a million objects of
    /// 80 bytes, their references and their paths' strings. The path is its id in the view's
    /// <see cref="NodeTable"/>. A file's kept body or head and a link's target share one field: no
    /// entry has both.
    /// </summary>
    private readonly struct ViewEntry
    {
        private const byte MarkerMask = 0b11;
        private const byte ExtraIsHead = 0b100;

        private readonly object? _extra;
        private readonly byte _type;
        private readonly byte _flags;
        private readonly ushort _mode;

        public int PathId { get; }

        public long Size { get; }

        public int Uid { get; }

        public int Gid { get; }

        /// <summary>Permission bits: 07777 at most, as both the reader and the writer give them.</summary>
        public int Mode => _mode;

        private ViewEntry(LayerReaderEntry entry, int pathId)
        {
            PathId = pathId;
            Size = entry.Size;
            Uid = entry.Uid;
            Gid = entry.Gid;
            _mode = (ushort)entry.Mode;
            _type = (byte)entry.Type;
            _flags = (byte)((byte)entry.Marker | (entry.Content is null && entry.Head is not null ? ExtraIsHead : 0));
            _extra = (object?)entry.LinkTarget ?? entry.Content ?? entry.Head;
        }

        public static ViewEntry Of(LayerReaderEntry entry, NodeTable paths) => new(entry, paths.Intern(entry.Path));

        public NodeType Type => (NodeType)_type;

        public LayerEntryMarker Marker => (LayerEntryMarker)(_flags & MarkerMask);

        public string? LinkTarget => _extra as string;

        public byte[]? Content => (_flags & ExtraIsHead) == 0 ? _extra as byte[] : null;

        public byte[]? Head => (_flags & ExtraIsHead) != 0 ? _extra as byte[] : null;

        public LayerReaderEntry ToReaderEntry(NodeTable paths) =>
            new(paths.PathOf(PathId), Type, Uid, Gid, Mode, Size, LinkTarget, Marker, Content, Head);
    }

    /// <summary>
    /// A layer of the view: its entries in archive order (with the bodies kept when it was read),
    /// and for a layer this process wrote, its contents, where every body is at hand.
    /// </summary>
    private sealed class ViewLayer(ILayer layer, ViewEntries entries, LayerContents? contents)
    {
        public ILayer Layer { get; } = layer;

        public ViewEntries Entries { get; } = entries;

        public LayerContents? Contents { get; } = contents;
    }

    /// <summary>A layer's entries as <see cref="LayerReaderEntry"/> records, made one at a time: what a memo writes.</summary>
    private sealed class ReaderEntries(ViewEntries entries, NodeTable paths) : IReadOnlyList<LayerReaderEntry>
    {
        public LayerReaderEntry this[int index] => entries[index].ToReaderEntry(paths);

        public int Count => entries.Count;

        public IEnumerator<LayerReaderEntry> GetEnumerator()
        {
            for (var i = 0; i < entries.Count; i++) yield return entries[i].ToReaderEntry(paths);
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>
    /// A layer's entries in archive order, in arrays of <see cref="ChunkLength"/>: a list of one
    /// array would copy itself each time it doubles and leave the old arrays to the large object
    /// heap, which at a million entries held more than the entries themselves until a full collection.
    /// </summary>
    private sealed class ViewEntries : IEnumerable<ViewEntry>
    {
        /// <summary>32-byte entries: 64 KiB a chunk, under the large object heap's 85 000 bytes.</summary>
        private const int ChunkLength = 2048;

        private readonly List<ViewEntry[]> _chunks = [];

        public int Count { get; private set; }

        public ref readonly ViewEntry this[int index]
        {
            get
            {
                if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index));
                return ref _chunks[index / ChunkLength][index % ChunkLength];
            }
        }

        /// <summary>Adds <paramref name="entry"/>, its path named in <paramref name="paths"/>.</summary>
        public void Add(LayerReaderEntry entry, NodeTable paths)
        {
            if (Count % ChunkLength == 0) _chunks.Add(new ViewEntry[ChunkLength]);
            _chunks[^1][Count % ChunkLength] = ViewEntry.Of(entry, paths);
            Count++;
        }

        public static ViewEntries Of(IEnumerable<LayerReaderEntry> entries, NodeTable paths)
        {
            var list = new ViewEntries();
            foreach (var entry in entries) list.Add(entry, paths);
            return list;
        }

        public IEnumerator<ViewEntry> GetEnumerator()
        {
            for (var i = 0; i < Count; i++) yield return this[i];
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
