using Modulus.Diagnostics;
using Modulus.Layers.Tar;

namespace Modulus.Layers;

/// <summary>One tar entry of a planned layer; <see cref="Content"/> is set for regular files only.</summary>
internal sealed record LayerRecord(UnixPath Path, byte Type, int Mode, int Uid, int Gid, string LinkName, FileContent? Content)
{
    /// <summary>The tar entry name: no leading slash, directories end with '/'.</summary>
    public string TarName => Type == TarType.Directory ? Path.TarName + "/" : Path.TarName;
}

/// <summary>
/// Turns declared entries into the exact records a layer holds, before a byte is written: one
/// record per path (identical duplicates merged, conflicting ones refused), every parent
/// directory explicit, sorted by path so that the declaration order never changes the layer.
/// </summary>
internal static class LayerPlan
{
    public static IReadOnlyList<LayerRecord> Of(IEnumerable<LayerEntry> entries, Func<UnixPath, DirectoryEntry?>? impliedParent = null)
    {
        var declared = new Dictionary<UnixPath, LayerEntry>();
        foreach (var entry in entries)
        {
            Validate(entry);
            var path = WrittenPath(entry);
            if (!declared.TryAdd(path, entry) && !declared[path].Equals(entry))
                throw new ModulusException(Errors.LayerEntryConflict, path, Describe(declared[path]), Describe(entry));
        }
        AddParents(declared, impliedParent);
        var primaries = HardLinkPrimaries(declared);
        return declared.OrderBy(pair => pair.Key).Select(pair => ToRecord(pair.Key, pair.Value, declared, primaries)).ToList();
    }

    private static void Validate(LayerEntry entry)
    {
        if (entry.Path.IsRoot)
            throw new ModulusException(Errors.InvalidContainerPath, "Layer entry", entry.Path, "the root exists in every image and is not an entry of a layer");
        if (entry.Mode is < 0 or > 0b111_111_111_111)
            throw new ModulusException(Errors.InvalidMode, entry.Mode < 0 ? entry.Mode.ToString() : Convert.ToString(entry.Mode, 8), entry.Path);
        if (entry.Uid < 0 || entry.Gid < 0)
            throw new ModulusException(Errors.InvalidOwner, $"{entry.Uid}:{entry.Gid}", entry.Path, "user and group ids are whole numbers from 0");
        if (entry is SymlinkEntry { Target: var target } && (target.Length == 0 || target.Contains('\0')))
            throw new ModulusException(Errors.InvalidSymlinkTarget, entry.Path, target, target.Length == 0 ? "it is empty" : "it contains a NUL character");
    }

    /// <summary>Where an entry lands in the tar: a whiteout of /a/b is the empty file /a/.wh.b.</summary>
    private static UnixPath WrittenPath(LayerEntry entry) =>
        entry is WhiteoutEntry ? UnixPath.Parse(entry.Path.Parent!.Value.Value.TrimEnd('/') + "/.wh." + entry.Path.Name) : entry.Path;

    private static void AddParents(Dictionary<UnixPath, LayerEntry> declared, Func<UnixPath, DirectoryEntry?>? impliedParent)
    {
        foreach (var (path, entry) in declared.ToList())
            foreach (var parent in path.Ancestors().Where(p => !p.IsRoot))
            {
                if (!declared.TryGetValue(parent, out var existing))
                    declared.Add(parent, impliedParent?.Invoke(parent) ?? new DirectoryEntry(parent));
                else if (existing is not DirectoryEntry)
                    throw new ModulusException(Errors.LayerEntryConflict, parent, Describe(existing), $"parent directory of {path}");
            }
    }

    /// <summary>
    /// Groups each file with the hard links to it and maps every name in a group to the name
    /// sorted first, which carries the content: a tar reader can only link to a file it has
    /// already extracted.
    /// </summary>
    private static Dictionary<UnixPath, UnixPath> HardLinkPrimaries(Dictionary<UnixPath, LayerEntry> declared)
    {
        var groups = new Dictionary<UnixPath, List<UnixPath>>();
        foreach (var (path, entry) in declared)
        {
            if (entry is not HardLinkEntry link) continue;
            if (!declared.TryGetValue(link.Target, out var target) || target is not FileEntry)
                throw new ModulusException(Errors.HardLinkTargetMissing, path, link.Target);
            if (!groups.TryGetValue(link.Target, out var names)) groups.Add(link.Target, names = [link.Target]);
            names.Add(path);
        }
        var primaries = new Dictionary<UnixPath, UnixPath>();
        foreach (var names in groups.Values)
        {
            var primary = names.Min();
            foreach (var name in names) primaries[name] = primary;
        }
        return primaries;
    }

    private static LayerRecord ToRecord(UnixPath path, LayerEntry entry, Dictionary<UnixPath, LayerEntry> declared,
        Dictionary<UnixPath, UnixPath> primaries)
    {
        switch (entry)
        {
            case DirectoryEntry:
                return new LayerRecord(path, TarType.Directory, entry.Mode, entry.Uid, entry.Gid, string.Empty, null);
            case SymlinkEntry symlink:
                return new LayerRecord(path, TarType.Symlink, entry.Mode, entry.Uid, entry.Gid, symlink.Target, null);
            case WhiteoutEntry:
                return new LayerRecord(path, TarType.Regular, 0, 0, 0, string.Empty, FileContent.Empty);
        }
        // A file or a hard link: all names of one file share its content, mode and owner.
        var file = (FileEntry)(entry is HardLinkEntry link ? declared[link.Target] : entry);
        return primaries.TryGetValue(path, out var primary) && primary != path
            ? new LayerRecord(path, TarType.HardLink, file.Mode, file.Uid, file.Gid, primary.TarName, null)
            : new LayerRecord(path, TarType.Regular, file.Mode, file.Uid, file.Gid, string.Empty, file.Content);
    }

    private static string Describe(LayerEntry entry)
    {
        var owner = $"mode {Convert.ToString(entry.Mode, 8).PadLeft(4, '0')}, owner {entry.Uid}:{entry.Gid}";
        return entry switch
        {
            FileEntry file => $"file from {file.Content.Describe()} ({file.Content.Length} bytes), {owner}",
            DirectoryEntry => $"directory, {owner}",
            SymlinkEntry symlink => $"symlink to '{symlink.Target}', owner {entry.Uid}:{entry.Gid}",
            HardLinkEntry link => $"hard link to {link.Target}",
            _ => $"whiteout of {entry.Path}",
        };
    }
}
