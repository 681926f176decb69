using Modulus.Layers;

namespace Modulus.Images;

/// <summary>How layers are applied, Docker's and containerd's way, to a tree held in memory.</summary>
public sealed partial class ImageFileSystem
{
    private const int ImpliedDirectoryMode = 0b111_101_101; // 0755

    /// <summary>Where a node's header sits: its layer, its position among that layer's entries, its name in the tar.</summary>
    private readonly record struct Source(int Layer, int Ordinal, UnixPath TarPath);

    /// <summary>
    /// A layer of the view: its entries in archive order (with the bodies kept when it was read),
    /// and for a layer this process wrote, its contents, where every body is at hand.
    /// </summary>
    private sealed record ViewLayer(ILayer Layer, IReadOnlyList<LayerReaderEntry> Entries, LayerContents? Contents);

    private readonly List<ViewLayer> layers = [];
    private readonly Dictionary<UnixPath, FileSystemNode> nodes = [];
    private readonly Dictionary<UnixPath, HashSet<UnixPath>> children = [];
    private readonly Dictionary<UnixPath, Source> sources = [];
    private FileSystemNode[]? sorted;

    private ImageFileSystem()
    {
        nodes[UnixPath.Root] = Implied(UnixPath.Root, 0);
    }

    /// <summary>A copy of <paramref name="below"/> to grow: the view below stays as it was.</summary>
    private ImageFileSystem(ImageFileSystem below)
    {
        layers = [.. below.layers];
        nodes = new Dictionary<UnixPath, FileSystemNode>(below.nodes);
        children = below.children.ToDictionary(pair => pair.Key, pair => new HashSet<UnixPath>(pair.Value));
        sources = new Dictionary<UnixPath, Source>(below.sources);
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
    private void Apply(int layer, IReadOnlyList<LayerReaderEntry> entries)
    {
        foreach (var entry in entries)
        {
            if (entry.Marker == LayerEntryMarker.None || LocateExisting(entry.Path) is not { } existing) continue;
            if (entry.Marker == LayerEntryMarker.Whiteout) Remove(existing);
            else if (nodes[existing].Type == NodeType.Directory && children.Remove(existing, out var hidden))
                foreach (var child in hidden) RemoveTree(child);
        }
        for (var ordinal = 0; ordinal < entries.Count; ordinal++)
        {
            var entry = entries[ordinal];
            if (entry.Marker == LayerEntryMarker.None) Place(entry, layer, ordinal);
            else if (entry.Marker == LayerEntryMarker.OpaqueDirectory) EnsureDirectory(entry.Path, layer);
        }
    }

    /// <summary>
    /// Puts an entry in place. Its parent is found as the extractor finds it: through symlinks
    /// (bin/sh lands in /usr/bin when /bin links there), missing parents are created, and anything
    /// else in the way is replaced by a directory. Only a directory over a directory keeps its
    /// contents; any other replacement drops the old subtree.
    /// </summary>
    private void Place(LayerReaderEntry entry, int layer, int ordinal)
    {
        var path = entry.Path.IsRoot ? UnixPath.Root : Child(WalkToParent(entry.Path, layer), entry.Path.Name);
        var node = new FileSystemNode(path, entry.Type, entry.Uid, entry.Gid, entry.Mode, entry.Size, entry.LinkTarget, layer);
        if (nodes.TryGetValue(path, out var old) && !(old.Type == NodeType.Directory && node.Type == NodeType.Directory)) Remove(path);
        Add(node);
        sources[path] = new Source(layer, ordinal, entry.Path);
    }

    private void EnsureDirectory(UnixPath path, int layer)
    {
        if (path.IsRoot) return;
        var actual = Child(WalkToParent(path, layer), path.Name);
        if (nodes.TryGetValue(actual, out var node) && node.Type == NodeType.Directory) return;
        if (node is not null) Remove(actual);
        Add(Implied(actual, layer));
    }

    /// <summary>
    /// The directory that holds <paramref name="path"/>, creating or replacing what it must (see
    /// <see cref="Place"/>). A parent already in the tree as a directory is the answer at once: a
    /// node exists only below real directories (replacing one drops its subtree), so the walk would
    /// find no link and change nothing; most entries take this path, one lookup instead of a walk.
    /// </summary>
    private UnixPath WalkToParent(UnixPath path, int layer)
    {
        var parent = path.Parent!.Value;
        if (nodes.TryGetValue(parent, out var existing) && existing.Type == NodeType.Directory) return parent;
        var current = UnixPath.Root;
        foreach (var segment in parent.Value.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Child(current, segment);
            if (nodes.TryGetValue(next, out var node) && node.Type == NodeType.Symlink
                && Resolve(next) is { } target && nodes[target].Type == NodeType.Directory)
            {
                current = target;
                continue;
            }
            if (node is null || node.Type != NodeType.Directory)
            {
                if (node is not null) Remove(next);
                Add(Implied(next, layer));
            }
            current = next;
        }
        return current;
    }

    /// <summary>Where <paramref name="path"/> of a whiteout or opaque marker lands in the lower layers, if anything is there.</summary>
    private UnixPath? LocateExisting(UnixPath path)
    {
        if (path.IsRoot) return path;
        if (Resolve(path.Parent!.Value) is not { } parent || nodes[parent].Type != NodeType.Directory) return null;
        var located = Child(parent, path.Name);
        return nodes.ContainsKey(located) ? located : null;
    }

    private void Add(FileSystemNode node)
    {
        nodes[node.Path] = node;
        if (node.Path.Parent is not { } parent) return;
        if (!children.TryGetValue(parent, out var siblings)) children[parent] = siblings = [];
        siblings.Add(node.Path);
    }

    private void Remove(UnixPath path)
    {
        RemoveTree(path);
        if (path.Parent is { } parent && children.TryGetValue(parent, out var siblings)) siblings.Remove(path);
    }

    private void RemoveTree(UnixPath path)
    {
        if (children.Remove(path, out var descendants))
            foreach (var child in descendants) RemoveTree(child);
        nodes.Remove(path);
        sources.Remove(path);
    }

    private static FileSystemNode Implied(UnixPath path, int layer) =>
        new(path, NodeType.Directory, 0, 0, ImpliedDirectoryMode, 0, null, layer);
}
