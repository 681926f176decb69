using Modulus.Diagnostics;
using Modulus.Layers;

namespace Modulus.Images;

/// <summary>How layers are applied, Docker's and containerd's way, to a tree held in memory.</summary>
public sealed partial class ImageFileSystem
{
    private const int ImpliedDirectoryMode = 0b111_101_101; // 0755

    /// <summary>
    /// The memory, estimated, that folders implied by entries (not listed in their layer) may take
    /// in one view: 128 MiB. A layer without folder entries (a node_modules of 100 000 folders)
    /// takes about 40 MiB; a hostile one of many deep entries would take gigabytes.
    /// </summary>
    internal const long MaxImpliedBytes = 128L << 20;

    /// <summary>A node's bookkeeping besides its path: the node, its entries in three dictionaries.</summary>
    private const int ImpliedNodeOverhead = 200;

    /// <summary>What the folders implied so far take, in <see cref="MaxImpliedBytes"/>' terms.</summary>
    private long impliedBytes;

    private readonly List<ViewLayer> layers = [];

    /// <summary>Every path of the view and the entry it comes from (<see cref="NodeRef"/>), by path id.</summary>
    private readonly NodeTable nodes = new();

    /// <summary>
    /// Each directory's children, made when first needed: to list a directory, or to remove one
    /// (a whiteout, an opaque marker, a directory replaced). Most views never need it, and at a
    /// million paths it took 40 MB, a quarter of what the view then held.
    /// </summary>
    private Dictionary<UnixPath, HashSet<UnixPath>>? children;
    private int[]? sorted;

    private ImageFileSystem()
    {
        nodes[UnixPath.Root] = new NodeRef(0, NodeRef.ImpliedOrdinal);
    }

    /// <summary>A copy of <paramref name="below"/> to grow: the view below stays as it was.</summary>
    private ImageFileSystem(ImageFileSystem below)
    {
        layers = [.. below.layers];
        nodes = new NodeTable(below.nodes);
        children = below.children?.ToDictionary(pair => pair.Key, pair => new HashSet<UnixPath>(pair.Value));
        impliedBytes = below.impliedBytes;
    }

    /// <summary>Adds a layer on top and applies its entries.</summary>
    private void Apply(ViewLayer layer)
    {
        layers.Add(layer);
        Apply(layers.Count - 1, layer.Entries);
    }

    /// <summary>
    /// Whiteouts and opaque markers hide what lower layers hold, never the same layer's entries,
    /// whatever their order in the archive; so they are applied first, then the entries in order.
    /// </summary>
    private void Apply(int layer, ViewEntries entries)
    {
        for (var ordinal = 0; ordinal < entries.Count; ordinal++)
        {
            ref readonly var entry = ref entries[ordinal];
            if (entry.Marker == LayerEntryMarker.None || LocateExisting(nodes.PathOf(entry.PathId)) is not { } existing) continue;
            if (entry.Marker == LayerEntryMarker.Whiteout) Remove(existing);
            else if (TypeOf(nodes[existing]) == NodeType.Directory && Children().Remove(existing, out var hidden))
                foreach (var child in hidden) RemoveTree(child);
        }
        for (var ordinal = 0; ordinal < entries.Count; ordinal++)
        {
            ref readonly var entry = ref entries[ordinal];
            if (entry.Marker == LayerEntryMarker.None) Place(entry, layer, ordinal);
            else if (entry.Marker == LayerEntryMarker.OpaqueDirectory) EnsureDirectory(nodes.PathOf(entry.PathId), layer);
        }
    }

    /// <summary>The type of the node <paramref name="at"/> names.</summary>
    private NodeType TypeOf(NodeRef at) => at.IsImplied ? NodeType.Directory : layers[at.Layer].Entries[at.Ordinal].Type;

    /// <summary>The node at <paramref name="path"/>, which <paramref name="at"/> says where to find.</summary>
    private FileSystemNode NodeAt(UnixPath path, NodeRef at)
    {
        if (at.IsImplied) return new FileSystemNode(path, NodeType.Directory, 0, 0, ImpliedDirectoryMode, 0, null, at.Layer);
        var entry = layers[at.Layer].Entries[at.Ordinal];
        return new FileSystemNode(path, entry.Type, entry.Uid, entry.Gid, entry.Mode, entry.Size, entry.LinkTarget, at.Layer);
    }

    /// <summary>
    /// Puts an entry in place. Its parent is found as the extractor finds it: through symlinks
    /// (bin/sh lands in /usr/bin when /bin links there), missing parents are created, and anything
    /// else in the way is replaced by a directory. Only a directory over a directory keeps its
    /// contents; any other replacement drops the old subtree.
    /// </summary>
    private void Place(in ViewEntry entry, int layer, int ordinal)
    {
        // Nearly every entry lands where its name says, below a directory already there: found by
        // ids alone, with no string made. The others take the walk, by their paths.
        var id = entry.PathId;
        if (id != NodeTable.RootId && !(nodes.TryGetValue(nodes.ParentOf(id), out var parent) && TypeOf(parent) == NodeType.Directory))
        {
            var tarPath = nodes.PathOf(id);
            (var path, id) = Landing(tarPath, layer);
            WithinLimits(path, tarPath, layer);
        }
        if (nodes.TryGetValue(id, out var old) && !(TypeOf(old) == NodeType.Directory && entry.Type == NodeType.Directory)) Remove(nodes.PathOf(id));
        Add(id, new NodeRef(layer, ordinal));
    }

    /// <summary>Where the entry at <paramref name="path"/> lands, and its id: the path itself when its parent is a directory already, else below where the walk leads.</summary>
    private (UnixPath Path, int Id) Landing(UnixPath path, int layer)
    {
        var (parent, parentId) = WalkToParent(path, layer);
        return (Child(parent, path.Name), nodes.Intern(parentId, path.Name));
    }

    private void EnsureDirectory(UnixPath path, int layer)
    {
        if (path.IsRoot) return;
        var (actual, id) = Landing(path, layer);
        WithinLimits(actual, path, layer);
        var exists = nodes.TryGetValue(id, out var node);
        if (exists && TypeOf(node) == NodeType.Directory) return;
        if (exists) Remove(actual);
        AddImplied(actual, id, path, layer);
    }

    /// <summary>
    /// The directory that holds <paramref name="path"/>, creating or replacing what it must (see
    /// <see cref="Place"/>). A parent already in the tree as a directory is the answer at once, and
    /// most entries take this path: one lookup. Otherwise the walk starts at the deepest ancestor
    /// that exists, found by halving: a node exists only below real directories (replacing one
    /// drops its subtree), so the ancestors that exist are the first k, and above them the walk
    /// would find no link and change nothing. A walk from the root cost every entry its depth
    /// times its length, quadratic for one deep entry; so would a lookup of each folder by its
    /// whole path, so the walk goes by ids, a name at a time. Gives the directory and its id.
    /// </summary>
    private (UnixPath Path, int Id) WalkToParent(UnixPath path, int layer)
    {
        var parent = path.Parent!.Value;
        var parentId = nodes.Find(parent);
        if (nodes.TryGetValue(parentId, out var existing) && TypeOf(existing) == NodeType.Directory) return (parent, parentId);
        var value = parent.Value;
        var ends = new List<int>();
        for (var i = 1; i < value.Length; i++)
            if (value[i] == '/') ends.Add(i);
        ends.Add(value.Length);
        int EndOf(int k) => k == 0 ? 0 : ends[k - 1];
        var (low, high) = (0, ends.Count);
        while (low < high)
        {
            var middle = (low + high + 1) / 2;
            if (nodes.ContainsKey(parent.PrefixEndingAt(EndOf(middle)))) low = middle;
            else high = middle - 1;
        }
        // A link or a file at the deepest ancestor found is met again by the walk, from its folder.
        if (low > 0 && TypeOf(nodes[parent.PrefixEndingAt(EndOf(low))]) != NodeType.Directory) low--;
        var current = parent.PrefixEndingAt(EndOf(low));
        var currentId = nodes.Find(current);
        foreach (var segment in value[(EndOf(low) + 1)..].Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Child(current, segment);
            var nextId = nodes.Intern(currentId, segment);
            var exists = nodes.TryGetValue(nextId, out var node);
            var type = exists ? TypeOf(node) : (NodeType?)null;
            if (type == NodeType.Symlink && ResolveId(next) is var target && target >= 0 && TypeOf(nodes[target]) == NodeType.Directory)
            {
                (current, currentId) = (nodes.PathOf(target), target);
                continue;
            }
            if (type != NodeType.Directory)
            {
                if (exists) Remove(next);
                AddImplied(next, nextId, path, layer);
            }
            (current, currentId) = (next, nextId);
        }
        return (current, currentId);
    }

    /// <summary>
    /// Adds a folder no entry lists, which an extractor creates as a parent. Such folders cost the
    /// view memory no byte of the layer paid for (one 1024-deep entry implies 1024 paths of up to
    /// 4096 bytes), so together they are held to <see cref="MaxImpliedBytes"/> (MOD2252).
    /// </summary>
    private void AddImplied(UnixPath folder, int id, UnixPath entry, int layer)
    {
        impliedBytes += ImpliedNodeOverhead + 2L * folder.Value.Length;
        if (impliedBytes > MaxImpliedBytes)
            throw new ModulusException(Errors.ImpliedFoldersBeyondLimit, LayerName(layers[layer].Layer), PathLimits.Shortened(entry.TarName), MaxImpliedBytes >> 20);
        Add(id, new NodeRef(layer, NodeRef.ImpliedOrdinal));
    }

    /// <summary>
    /// Where an entry lands must keep the <see cref="PathLimits"/> too: its name does (the reader
    /// checked it), but through links of lower layers it lands below their targets (MOD2251).
    /// </summary>
    private void WithinLimits(UnixPath actual, UnixPath entry, int layer)
    {
        if (string.Equals(actual.Value, entry.Value, StringComparison.Ordinal)) return;
        if (PathLimits.Check(actual.Value) is { } beyond)
            throw new ModulusException(Errors.ImagePathBeyondLimits, LayerName(layers[layer].Layer), PathLimits.Shortened(entry.TarName),
                PathLimits.Shortened(actual.Value), beyond.Breach, beyond.Limit);
    }

    /// <summary>Where <paramref name="path"/> of a whiteout or opaque marker lands in the lower layers, if anything is there.</summary>
    private UnixPath? LocateExisting(UnixPath path)
    {
        if (path.IsRoot) return path;
        if (Resolve(path.Parent!.Value) is not { } parent || TypeOf(nodes[parent]) != NodeType.Directory) return null;
        var located = Child(parent, path.Name);
        return nodes.ContainsKey(located) ? located : null;
    }

    private void Add(int id, NodeRef node)
    {
        nodes.Set(id, node);
        if (children is not null) AddChild(children, nodes.PathOf(id));
    }

    private static void AddChild(Dictionary<UnixPath, HashSet<UnixPath>> index, UnixPath path)
    {
        if (path.Parent is not { } parent) return;
        if (!index.TryGetValue(parent, out var siblings)) index[parent] = siblings = [];
        siblings.Add(path);
    }

    /// <summary>The children of every directory, indexed from the nodes the first time it is asked for.</summary>
    private Dictionary<UnixPath, HashSet<UnixPath>> Children()
    {
        if (children is null)
        {
            var index = new Dictionary<UnixPath, HashSet<UnixPath>>();
            foreach (var id in nodes.NodeIds()) AddChild(index, nodes.PathOf(id));
            children = index;
        }
        return children;
    }

    private void Remove(UnixPath path)
    {
        RemoveTree(path);
        if (children is not null && path.Parent is { } parent && children.TryGetValue(parent, out var siblings)) siblings.Remove(path);
    }

    /// <summary>Removes a node and, for a directory, what lies below it; only a directory needs the children's index.</summary>
    private void RemoveTree(UnixPath path)
    {
        if (nodes.TryGetValue(path, out var at) && TypeOf(at) == NodeType.Directory && Children().Remove(path, out var descendants))
            foreach (var child in descendants) RemoveTree(child);
        nodes.Remove(path);
    }
}
