using Modulus.Images;
using Modulus.Layers;

namespace Modulus.Report;

/// <summary>
/// The merged file system as a tree of folders for the report's picture, kept small: a file or
/// folder of at least 1/<see cref="Resolution"/> of the image's bytes is a node of its own; the
/// rest of a folder (its small files and small subfolders) is one grouped leaf. A few thousand
/// nodes at most, whatever the image holds, so the page stays small and opens fast.
/// </summary>
public static class FolderTree
{
    /// <summary>The smallest node the tree keeps, as a fraction of the whole: one 4000th (about 50 KiB of a 200 MiB image).</summary>
    public const int Resolution = 4000;

    /// <param name="view">The image's merged file system.</param>
    /// <param name="packageOf">The index of the package that owns a file, or -1.</param>
    public static FolderNode Build(ImageFileSystem view, Func<UnixPath, int> packageOf)
    {
        var root = new Folder("/");
        var folders = new Dictionary<UnixPath, Folder> { [UnixPath.Root] = root };
        foreach (var node in view.All.Where(n => n.Type == NodeType.File))
        {
            var parent = FolderOf(node.Path.Parent!.Value, folders);
            var file = new Tally(node.Path.Name, node.Size, node.LayerIndex, packageOf(node.Path));
            parent.Files.Add(file);
            for (var folder = parent; folder is not null; folder = folder.Parent) folder.Add(file);
        }
        var smallest = Math.Max(1, root.Size / Resolution);
        return Emit(root, smallest);
    }

    private static Folder FolderOf(UnixPath path, Dictionary<UnixPath, Folder> folders)
    {
        if (folders.TryGetValue(path, out var known)) return known;
        var parent = FolderOf(path.Parent!.Value, folders);
        var folder = new Folder(path.Name) { Parent = parent };
        parent.Folders.Add(folder);
        folders[path] = folder;
        return folder;
    }

    private static FolderNode Emit(Folder folder, long smallest)
    {
        var children = new List<FolderNode>();
        var rest = new Folder("");
        foreach (var sub in folder.Folders.Where(f => f.Files.Count > 0 || f.Folders.Count > 0).OrderByDescending(f => f.Size).ThenBy(f => f.Name, StringComparer.Ordinal))
        {
            if (sub.Size >= smallest) children.Add(Emit(sub, smallest));
            else rest.Merge(sub);
        }
        foreach (var file in folder.Files.OrderByDescending(f => f.Size).ThenBy(f => f.Name, StringComparer.Ordinal))
        {
            if (file.Size >= smallest) children.Add(new FolderNode(file.Name, file.Size, 1, file.Layer, file.Package));
            else rest.Add(file);
        }
        if (rest.Count > 0)
            children.Add(new FolderNode($"{rest.Count} small files", rest.Size, rest.Count, rest.TopLayer, rest.TopPackage, Grouped: true));
        return new FolderNode(folder.Name, folder.Size, folder.Count, folder.TopLayer, folder.TopPackage, children);
    }

    private sealed record Tally(string Name, long Size, int Layer, int Package);

    /// <summary>A folder as it is tallied: its own files and folders, and the bytes below it by layer and by package.</summary>
    private sealed class Folder(string name)
    {
        private readonly Dictionary<int, long> _byLayer = [];
        private readonly Dictionary<int, long> _byPackage = [];

        public string Name { get; } = name;

        public Folder? Parent { get; init; }

        public List<Tally> Files { get; } = [];

        public List<Folder> Folders { get; } = [];

        public long Size { get; private set; }

        public int Count { get; private set; }

        public int TopLayer => Top(_byLayer, 0);

        public int TopPackage => Top(_byPackage, -1);

        public void Add(Tally file)
        {
            Size += file.Size;
            Count++;
            // A file of no bytes still says which layer made the folder.
            _byLayer[file.Layer] = _byLayer.GetValueOrDefault(file.Layer) + file.Size + 1;
            _byPackage[file.Package] = _byPackage.GetValueOrDefault(file.Package) + file.Size + 1;
        }

        public void Merge(Folder other)
        {
            Size += other.Size;
            Count += other.Count;
            foreach (var (layer, bytes) in other._byLayer) _byLayer[layer] = _byLayer.GetValueOrDefault(layer) + bytes;
            foreach (var (package, bytes) in other._byPackage) _byPackage[package] = _byPackage.GetValueOrDefault(package) + bytes;
        }

        /// <summary>The key of the most bytes; ties go to the lowest key, so the tree is the same every time.</summary>
        private static int Top(Dictionary<int, long> bytes, int none) =>
            bytes.Count == 0 ? none : bytes.OrderByDescending(p => p.Value).ThenBy(p => p.Key).First().Key;
    }
}
