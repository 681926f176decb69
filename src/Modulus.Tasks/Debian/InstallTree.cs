using Modulus.Layers;

namespace Modulus.Debian;

/// <summary>
/// The layer entries the installed packages add, keyed by path. Paths land where dpkg would put
/// them by following symlinked folders: on a merged-/usr system a package's /bin, /sbin and
/// /lib... paths land below /usr, and below a base image's symlinked folder (/var/run -> /run)
/// in its target. dpkg's database still records the packages' own paths.
/// </summary>
public sealed class InstallTree
{
    private readonly Dictionary<UnixPath, LayerEntry> _entries = new();
    private readonly Dictionary<UnixPath, UnixPath> _resolvedFolders = new();
    private readonly HashSet<string> _mergedDirectories;
    private readonly Func<UnixPath, UnixPath?>? _resolveInBase;
    private readonly DpkgPathFilter? _pathFilter;

    private readonly List<StatOverride> _statOverrides = [];

    /// <summary>Clears setuid and setgid bits of package files, noting each in <see cref="StatOverrides"/>.</summary>
    public bool ClearSetuid { get; init; }

    /// <summary>The base image's dpkg stat overrides by package path: the owner and mode dpkg gives those paths when it installs them.</summary>
    public IReadOnlyDictionary<string, StatOverride> BaseOverrides { get; init; } = new Dictionary<string, StatOverride>();

    /// <summary>The files whose mode <see cref="ClearSetuid"/> changed, by the path their package names.</summary>
    public IReadOnlyList<StatOverride> StatOverrides => _statOverrides;

    /// <summary>Each hard link's path and the very file entry it was made to.</summary>
    private readonly Dictionary<UnixPath, FileEntry> _linkedFiles = new();

    /// <param name="mergedDirectories">Top-level folders that are symlinks into /usr ("bin", "lib", ...); empty when /usr is not merged.</param>
    /// <param name="resolveInBase">Follows symlinks in the base image (null when it is missing); null for an empty base.</param>
    /// <param name="pathFilter">dpkg's path-exclude/path-include rules; null unpacks every path.</param>
    public InstallTree(IEnumerable<string> mergedDirectories, Func<UnixPath, UnixPath?>? resolveInBase = null, DpkgPathFilter? pathFilter = null)
    {
        _mergedDirectories = mergedDirectories.ToHashSet(StringComparer.Ordinal);
        _resolveInBase = resolveInBase;
        _pathFilter = pathFilter;
    }

    /// <summary>
    /// debootstrap's table of merged-/usr links for bookworm: bin, sbin and lib always, plus the
    /// architecture's extra library folders.
    /// </summary>
    public static IReadOnlyList<string> MergedUsrDirectories(string architecture) =>
    [
        "bin", "sbin", "lib",
        .. architecture switch
        {
            "amd64" => new[] { "lib32", "lib64", "libx32" },
            "i386" => ["lib64", "libx32"],
            "ppc64el" => ["lib64"],
            "s390x" => ["lib32"],
            "mips64el" => ["lib32", "lib64", "libo32"],
            _ => [],
        },
    ];

    /// <summary>The merged-/usr links themselves and their /usr folders, for an image that starts empty.</summary>
    public void AddMergedUsrLinks()
    {
        Put(new DirectoryEntry(UnixPath.Parse("/usr")));
        foreach (var name in _mergedDirectories.Order(StringComparer.Ordinal))
        {
            Put(new DirectoryEntry(UnixPath.Parse("/usr/" + name)));
            Put(new SymlinkEntry(UnixPath.Parse("/" + name), "usr/" + name));
        }
    }

    /// <summary>Where a path a package names ends up: /bin/bash is /usr/bin/bash on a merged system.</summary>
    public UnixPath Canonical(UnixPath path)
    {
        var segments = path.Value.Split('/', 3);
        var merged = segments.Length == 3 && _mergedDirectories.Contains(segments[1]) ? UnixPath.Parse("/usr" + path.Value) : path;
        if (_resolveInBase is null || merged.Parent is not { } parent) return merged;
        var folder = ResolveFolder(parent);
        return folder == parent ? merged : folder.Combine(merged.Name);
    }

    /// <summary>A folder with the base's symlinks followed; the part the base lacks is kept as named.</summary>
    private UnixPath ResolveFolder(UnixPath folder)
    {
        if (folder.IsRoot) return folder;
        if (_resolvedFolders.TryGetValue(folder, out var known)) return known;
        var resolved = _resolveInBase!(folder) ?? ResolveFolder(folder.Parent!.Value).Combine(folder.Name);
        _resolvedFolders[folder] = resolved;
        return resolved;
    }

    /// <summary>dpkg keeps a symlink where a package ships a folder (the base's /bin -> usr/bin, /var/run -> /run).</summary>
    private bool IsLinkInBase(UnixPath path) =>
        _resolveInBase is not null && _resolveInBase(path) is { } resolved && resolved != path;

    public bool Contains(UnixPath path) => _entries.ContainsKey(Canonical(path));

    public LayerEntry? Get(UnixPath path) => _entries.GetValueOrDefault(Canonical(path));

    /// <summary>
    /// Installs one package's data, less the paths the filter leaves out: later packages overwrite
    /// files of earlier ones, as dpkg does with Replaces.
    /// </summary>
    public void AddPackage(UnpackedPackage package)
    {
        var byPath = new Dictionary<string, DebEntry>(StringComparer.Ordinal);
        foreach (var entry in package.Entries) byPath[entry.Path] = entry;
        var placedFiles = new Dictionary<string, FileEntry>(StringComparer.Ordinal);
        foreach (var packaged in Unpacked(package))
        {
            var original = UnixPath.Parse(packaged.Path);
            var path = Canonical(original);
            if (path.IsRoot || (original.Parent is { IsRoot: true } && _mergedDirectories.Contains(original.Name))) continue;
            if (packaged.Type == DebEntryType.Directory && IsLinkInBase(path)) continue;
            var entry = WithBaseOverride(packaged);
            var mode = FileMode(entry);
            LayerEntry layerEntry = entry.Type switch
            {
                DebEntryType.Directory => new DirectoryEntry(path, entry.Uid, entry.Gid, entry.Mode),
                DebEntryType.File => new FileEntry(path, FileContent.FromFile(package.BodyPath(entry)), entry.Uid, entry.Gid, mode),
                DebEntryType.Symlink => new SymlinkEntry(path, entry.Target!, entry.Uid, entry.Gid),
                // A hard link to a file the filter left out gets a copy of its content.
                _ => placedFiles.TryGetValue(entry.Target!, out var target)
                    ? new HardLinkEntry(path, target.Path, entry.Uid, entry.Gid, mode)
                    : new FileEntry(path, FileContent.FromFile(package.BodyPath(byPath[entry.Target!])), entry.Uid, entry.Gid, mode),
            };
            if (layerEntry is DirectoryEntry && _entries.TryGetValue(path, out var existing) && existing is DirectoryEntry) continue;
            if (entry.Type == DebEntryType.Symlink && PointsAtItself(original, entry.Target!, path)) continue;
            // /bin/x hard-linked to /usr/bin/x is that very file once /usr is merged.
            if (layerEntry is HardLinkEntry self && self.Target == path) continue;
            var placed = Put(layerEntry);
            if (placed is FileEntry file) placedFiles[entry.Path] = file;
            if (placed is HardLinkEntry link) _linkedFiles[link.Path] = placedFiles[entry.Target!];
        }
    }

    /// <summary>An entry with the owner and mode a base image's statoverride gives its path, as dpkg installs it.</summary>
    private DebEntry WithBaseOverride(DebEntry entry) =>
        entry.Type != DebEntryType.Symlink && BaseOverrides.TryGetValue(entry.Path, out var o)
            ? entry with { Uid = o.Uid, Gid = o.Gid, Mode = o.Mode }
            : entry;

    /// <summary>A file's mode as installed: without setuid and setgid when <see cref="ClearSetuid"/> says so, which is then noted.</summary>
    private int FileMode(DebEntry entry)
    {
        const int SetIds = 0b110_000_000_000;
        if (!ClearSetuid || entry.Type is not (DebEntryType.File or DebEntryType.HardLink)) return entry.Mode;
        // A later package's file replaces an earlier one's, and with it the earlier override.
        _statOverrides.RemoveAll(o => o.Path == entry.Path);
        if ((entry.Mode & SetIds) == 0) return entry.Mode;
        var cleared = entry.Mode & ~SetIds;
        _statOverrides.Add(new StatOverride(entry.Path, entry.Uid, entry.Gid, cleared));
        return cleared;
    }

    /// <summary>
    /// The package's entries dpkg unpacks under the path filter. A folder the filter leaves out
    /// still stays when an entry below it is unpacked, with the package's owner and mode.
    /// </summary>
    private IEnumerable<DebEntry> Unpacked(UnpackedPackage package)
    {
        if (_pathFilter is null) return package.Entries;
        var skipped = package.Entries
            .Where(e => _pathFilter.Skips(e.Path, e.Type is DebEntryType.Directory or DebEntryType.Symlink))
            .Select(e => e.Path)
            .ToHashSet(StringComparer.Ordinal);
        // Every ancestor: a kept folder (an include pattern's prefix) may sit below a skipped one.
        foreach (var entry in package.Entries.Where(e => !skipped.Contains(e.Path)).ToList())
            for (var parent = UnixPath.Parse(entry.Path).Parent; parent is { IsRoot: false } folder; parent = folder.Parent)
                skipped.Remove(folder.Value);
        return package.Entries.Where(e => !skipped.Contains(e.Path));
    }

    /// <summary>
    /// A link such as /bin/x -> /usr/bin/x is the same path as its target once /usr is merged;
    /// installing it would replace the file with a link to itself, so it is left out.
    /// </summary>
    private bool PointsAtItself(UnixPath link, string target, UnixPath canonicalLink) =>
        UnixPath.TryFromTarName(target.StartsWith('/') ? target : link.Parent!.Value.Value + "/" + target, out var resolved)
        && Canonical(resolved) == canonicalLink;

    /// <summary>Adds or replaces an entry at its canonical path; returns the entry as stored there.</summary>
    public LayerEntry Put(LayerEntry entry)
    {
        var path = Canonical(entry.Path);
        return _entries[path] = entry.Path == path ? entry : entry with { Path = path };
    }

    /// <summary>
    /// Every entry, sorted by path. Folders no package declares (parents of the files made from
    /// maintainer scripts' effects) are left to the layer writer, which takes a base image's
    /// owner and mode for them.
    /// </summary>
    public IReadOnlyList<LayerEntry> ToEntries() => _entries.Values.Select(Settled).OrderBy(e => e.Path).ToList();

    /// <summary>
    /// A hard link stays one when its target still holds the file it was made to; when a later
    /// package or a maintainer script's effect replaced the target, the link's name keeps the
    /// original content as a copy instead of following the new file or breaking.
    /// </summary>
    private LayerEntry Settled(LayerEntry entry) =>
        entry is HardLinkEntry link && _linkedFiles.TryGetValue(link.Path, out var file) && !ReferenceEquals(_entries.GetValueOrDefault(link.Target), file)
            ? new FileEntry(link.Path, file.Content, file.Uid, file.Gid, file.Mode)
            : entry;
}
