using Modulus.Layers;

namespace Modulus.Bench;

/// <summary>
/// A host folder as layer entries: what `tar -C folder .` archives, owned by root, with the
/// host's permission bits. The writer sorts entries itself, so the walk order does not matter.
/// </summary>
public static class HostTree
{
    public static IReadOnlyList<LayerEntry> Entries(string folder)
    {
        var root = new DirectoryInfo(folder);
        var entries = new List<LayerEntry>();
        foreach (var info in root.EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            var path = UnixPath.Parse("/" + Path.GetRelativePath(root.FullName, info.FullName).Replace('\\', '/'));
            var mode = (int)info.UnixFileMode & 0b111_111_111;
            entries.Add(info switch
            {
                _ when info.LinkTarget is { } target => new SymlinkEntry(path, target),
                DirectoryInfo => new DirectoryEntry(path, Mode: mode),
                _ => new FileEntry(path, FileContent.FromFile(info.FullName), Mode: mode),
            });
        }
        return entries;
    }
}
