using Modulus.Diagnostics;
using Modulus.Layers;

namespace Modulus.Images;

/// <summary>
/// One path of the merged view, as the topmost layer that provides it says. A directory implied
/// by a deeper entry (no header of its own) is root-owned 0755 and carries the index of the layer
/// that implied it. <see cref="LinkTarget"/> is a symlink's target verbatim or a hard link's
/// target as an absolute path.
/// </summary>
public sealed record FileSystemNode(UnixPath Path, NodeType Type, int Uid, int Gid, int Mode, long Size, string? LinkTarget, int LayerIndex);

/// <summary>
/// A read-only view of an image's filesystem with all layers applied in order (whiteouts and
/// opaque directories honoured). Built from tar headers, one read of each layer, or none for a
/// layer an <see cref="ILayerMemo"/> remembers; nothing touches the host filesystem. The view grows as an image does: <see cref="Append(ILayer, LayerContents)"/> gives the view with
/// one more layer, taken from the contents that wrote it, so a layer just written is never read.
/// </summary>
/// <remarks>
/// <see cref="ReadFile"/> reads a body with a second pass over the one layer that provides it,
/// stopping at that entry, unless the body was kept in the first read or the layer was appended
/// from its contents: which files are wanted is known only after the merge (a symlink in a later
/// layer can redirect /etc/passwd), and capturing every small file would hold much of the image
/// in memory. The caller of <see cref="Read"/> names the few files it knows it will read.
/// </remarks>
public sealed partial class ImageFileSystem
{
    /// <summary>Symlinks followed while resolving one path before it counts as a loop (Linux's limit).</summary>
    public const int MaxSymlinkHops = 40;

    /// <summary>Larger bodies are not kept by <see cref="Read"/>; they are read again when asked for.</summary>
    public const long MaxKeptBodyBytes = 1 << 20;

    /// <summary>
    /// Merges <paramref name="layers"/>, lowest first, keeping the bodies of the files that
    /// <paramref name="keepBody"/> says yes to (up to <see cref="MaxKeptBodyBytes"/> each). With a
    /// <paramref name="memo"/>, a layer it remembers is not read at all, and a layer read is remembered.
    /// </summary>
    public static ImageFileSystem Read(IReadOnlyList<ILayer> layers, Func<UnixPath, bool>? keepBody = null, ILayerMemo? memo = null)
    {
        var fileSystem = new ImageFileSystem();
        foreach (var layer in layers) fileSystem.Apply(new ViewLayer(layer, EntriesOf(layer, keepBody, memo, fileSystem.nodes), null));
        return fileSystem;
    }

    /// <summary>
    /// A layer's entries, from the memo when it has every body <paramref name="keepBody"/> asks for;
    /// else read, keeping those and the bodies the memo had, so what is remembered only grows.
    /// </summary>
    private static ViewEntries EntriesOf(ILayer layer, Func<UnixPath, bool>? keepBody, ILayerMemo? memo, NodeTable paths)
    {
        var known = memo?.Recall(layer.DiffId);
        if (known is not null && !known.Any(e => LacksBody(e, keepBody))) return ViewEntries.Of(known, paths);
        var kept = known?.Where(e => e.Content is not null).Select(e => e.Path).ToHashSet();
        Func<UnixPath, bool>? capture = kept is { Count: > 0 } ? p => kept.Contains(p) || keepBody?.Invoke(p) == true : keepBody;
        // Executables' heads are kept always: the contract's architecture check reads them (ReadHead).
        var options = capture is null ? LayerReaderOptions.HeadersOnly with { KeepExecutableHeads = true }
            : LayerReaderOptions.HeadersOnly with { MaxCaptureBytes = MaxKeptBodyBytes, CaptureWhere = capture, KeepExecutableHeads = true };
        // Each entry is held inline as it is read: a list of the reader's records first would hold
        // every entry twice at the end of the read.
        var entries = new ViewEntries();
        using (var tar = new HashingReadStream(layer.OpenTar()))
        {
            foreach (var entry in LayerReader.Read(tar, LayerName(layer), options)) entries.Add(entry, paths);
            ReadToEnd(tar, layer);
        }
        memo?.Remember(layer.DiffId, new ReaderEntries(entries, paths));
        return entries;
    }

    /// <summary>
    /// Reads what follows the tar's end blocks (padding, the gzip trailer) and checks that the
    /// whole is the layer's diffID: the entries of a full read are remembered as the layer's, and
    /// a copy damaged since it was stored, or a gzip stream cut short, must not be remembered as it.
    /// </summary>
    private static void ReadToEnd(HashingReadStream tar, ILayer layer)
    {
        try
        {
            tar.CopyTo(Stream.Null);
        }
        catch (GzipTruncatedException e)
        {
            throw new ModulusException(Errors.GzipTruncated, LayerName(layer), e.Decompressed);
        }
        catch (InvalidDataException e)
        {
            throw new ModulusException(Errors.TarUnreadable, e, LayerName(layer), e.Message);
        }
        if (tar.Digest != layer.DiffId)
            throw new ModulusException(Errors.DigestMismatch, $"the tar of layer {LayerName(layer)}", layer.DiffId, tar.Digest);
    }

    /// <summary>Whether <paramref name="keepBody"/> asks for a body a read would have kept and <paramref name="entry"/> lacks.</summary>
    private static bool LacksBody(LayerReaderEntry entry, Func<UnixPath, bool>? keepBody) =>
        keepBody is not null && entry is { Type: NodeType.File, Marker: LayerEntryMarker.None, Content: null }
        && entry.Size <= MaxKeptBodyBytes && keepBody(entry.Path);

    /// <summary>
    /// This view with <paramref name="layer"/> on top, whose tar holds <paramref name="contents"/>
    /// (what the layer was written from). This view is unchanged.
    /// </summary>
    public ImageFileSystem Append(ILayer layer, LayerContents contents)
    {
        var grown = new ImageFileSystem(this);
        grown.Apply(new ViewLayer(layer, ViewEntries.Of(contents.Entries, grown.nodes), contents));
        return grown;
    }

    /// <summary>
    /// This view with <paramref name="layer"/> on top, read (or recalled from <paramref name="memo"/>)
    /// as <see cref="Read"/> reads a layer: for a layer this process did not write. This view is unchanged.
    /// </summary>
    public ImageFileSystem Append(ILayer layer, Func<UnixPath, bool>? keepBody, ILayerMemo? memo)
    {
        var grown = new ImageFileSystem(this);
        grown.Apply(new ViewLayer(layer, EntriesOf(layer, keepBody, memo, grown.nodes), null));
        return grown;
    }

    /// <summary>The layers this view merges, lowest first.</summary>
    public IReadOnlyList<ILayer> Layers => layers.Select(l => l.Layer).ToArray();

    /// <summary>
    /// What the layer at <paramref name="index"/> holds as its tar lists it: how many entries
    /// (whiteouts and folders included) and the bytes of its files' bodies.
    /// </summary>
    public (int Entries, long FileBytes) Tally(int index) =>
        (layers[index].Entries.Count, layers[index].Entries.Where(e => e.Type == NodeType.File && e.Marker == LayerEntryMarker.None).Sum(e => e.Size));

    /// <summary>Whether anything is at exactly <paramref name="path"/> (a dangling symlink counts).</summary>
    public bool Exists(UnixPath path) => nodes.ContainsKey(path);

    /// <summary>The node at exactly <paramref name="path"/> (symlinks not followed), or null.</summary>
    public FileSystemNode? Get(UnixPath path) => nodes.TryGetValue(path, out var at) ? NodeAt(path, at) : null;

    /// <summary>
    /// Follows symlinks in every component, the last one included, the way the kernel does inside
    /// the container: absolute targets start at the image root and '..' at the root stays there.
    /// Null when a component is missing or not a directory, or after <see cref="MaxSymlinkHops"/> links.
    /// </summary>
    public UnixPath? Resolve(UnixPath path) => ResolveId(path) is var id && id >= 0 ? nodes.PathOf(id) : null;

    /// <summary><see cref="Resolve"/> by the ids of <see cref="NodeTable"/>: each step one lookup of one name; -1 for none.</summary>
    private int ResolveId(UnixPath path)
    {
        var pending = new Stack<string>();
        PushSegments(pending, path.Value);
        var current = NodeTable.RootId;
        var hops = 0;
        while (pending.TryPop(out var segment))
        {
            if (segment == "..")
            {
                if (current != NodeTable.RootId) current = nodes.ParentOf(current);
                continue;
            }
            var next = nodes.Find(current, segment);
            if (!nodes.TryGetValue(next, out var at)) return -1;
            var type = TypeOf(at);
            if (type == NodeType.Symlink)
            {
                var linkTarget = layers[at.Layer].Entries[at.Ordinal].LinkTarget;
                if (++hops > MaxSymlinkHops || string.IsNullOrEmpty(linkTarget)) return -1;
                if (linkTarget[0] == '/') current = NodeTable.RootId;
                PushSegments(pending, linkTarget);
                continue;
            }
            if (type != NodeType.Directory && pending.Count > 0) return -1;
            current = next;
        }
        return current;
    }

    /// <summary>The entries of a directory (symlinks to it followed), sorted by path; empty when it is missing.</summary>
    public IEnumerable<FileSystemNode> List(UnixPath directory) =>
        Resolve(directory) is { } resolved && Children().TryGetValue(resolved, out var names)
            ? names.Order().Select(p => NodeAt(p, nodes[p])).ToArray()
            : [];

    /// <summary>
    /// Every node, sorted by path; the root first. The nodes and their paths' strings are made as
    /// the enumeration reaches them: a pass over a million paths holds their ids, sorted, not a
    /// million nodes or strings.
    /// </summary>
    public IEnumerable<FileSystemNode> All
    {
        get
        {
            return AllOf(sorted ??= nodes.SortedNodeIds());
        }
    }

    /// <summary>
    /// Every node in the order of <see cref="All"/>, for a pass that looks at each and names few:
    /// no node or path is made unless asked for (<see cref="NodeInfo.Path"/>), so a pass over a
    /// million paths allocates nothing per path.
    /// </summary>
    internal IEnumerable<NodeInfo> Nodes
    {
        get
        {
            foreach (var id in sorted ??= nodes.SortedNodeIds())
            {
                nodes.TryGetValue(id, out var at);
                yield return new NodeInfo(this, id, at);
            }
        }
    }

    /// <summary>The id of <paramref name="path"/> for <see cref="NodeInfo.IsUnder"/>; -1 when no node lies at or below it.</summary>
    internal int IdOf(UnixPath path) => nodes.Find(path);

    /// <summary>A node of <see cref="Nodes"/>: what it is, and its path when asked for.</summary>
    internal readonly struct NodeInfo(ImageFileSystem fs, int id, NodeRef at)
    {
        public NodeType Type => fs.TypeOf(at);

        public int Uid => at.IsImplied ? 0 : fs.layers[at.Layer].Entries[at.Ordinal].Uid;

        public int Gid => at.IsImplied ? 0 : fs.layers[at.Layer].Entries[at.Ordinal].Gid;

        public int Mode => at.IsImplied ? ImpliedDirectoryMode : fs.layers[at.Layer].Entries[at.Ordinal].Mode;

        public UnixPath Path => fs.nodes.PathOf(id);

        public bool Is(int other) => id == other;

        /// <summary>Whether this node's path is the path of <paramref name="ancestor"/> (an id of <see cref="IdOf"/>) or below it.</summary>
        public bool IsUnder(int ancestor)
        {
            if (ancestor < 0) return false;
            for (var at = id; ; at = fs.nodes.ParentOf(at))
            {
                if (at == ancestor) return true;
                if (at == NodeTable.RootId) return false;
            }
        }
    }

    private IEnumerable<FileSystemNode> AllOf(int[] ids)
    {
        // Siblings mostly follow one another: their folder's path is made once for all of them.
        var (folder, folderPath) = (-1, UnixPath.Root);
        foreach (var id in ids)
        {
            nodes.TryGetValue(id, out var at);
            if (id == NodeTable.RootId)
            {
                yield return NodeAt(UnixPath.Root, at);
                continue;
            }
            var parent = nodes.ParentOf(id);
            if (parent != folder) (folder, folderPath) = (parent, nodes.PathOf(parent));
            yield return NodeAt(nodes.PathBelow(folderPath, id), at);
        }
    }

    /// <summary>
    /// The content of a regular file after resolving symlinks and hard links, or null when there is
    /// none; a file over <paramref name="maxBytes"/> is refused (MOD2106).
    /// </summary>
    public byte[]? ReadFile(UnixPath path, long maxBytes = 1 << 20)
    {
        if (Resolve(path) is not { } resolved || Get(resolved) is not { Type: NodeType.File or NodeType.HardLink } node) return null;
        if (node.Size > maxBytes)
            throw new ModulusException(Errors.TarEntryTooLarge, LayerName(layers[node.LayerIndex].Layer), resolved.TarName, node.Size, maxBytes);
        return ReadBody(resolved, maxBytes);
    }

    private static void PushSegments(Stack<string> pending, string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = segments.Length - 1; i >= 0; i--)
            if (segments[i] != ".") pending.Push(segments[i]);
    }

    /// <summary>
    /// <paramref name="name"/> inside <paramref name="directory"/>. Every caller holds a single
    /// segment, so nothing is normalized again: that was a pass over the whole path per step, and
    /// made placing one entry quadratic in its depth.
    /// </summary>
    private static UnixPath Child(UnixPath directory, string name) => directory.ChildNamed(name);

    private static string LayerName(ILayer layer) =>
        layer is BlobLayer { Source: { } source } ? $"{layer.Digest} of {source}" : layer.Digest.ToString();
}
