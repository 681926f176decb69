namespace Modulus.Layers;

/// <summary>
/// One declared entry of a layer. <see cref="Mode"/> holds permission bits only (including
/// setuid, setgid and sticky: 0..07777); the type comes from the subclass.
/// </summary>
public abstract record LayerEntry(UnixPath Path, int Uid, int Gid, int Mode)
{
    public const int DefaultFileMode = 0b110_100_100; // 0644
    public const int DefaultExecutableMode = 0b111_101_101; // 0755
    public const int DefaultDirectoryMode = 0b111_101_101; // 0755
}

public sealed record FileEntry(UnixPath Path, FileContent Content, int Uid = 0, int Gid = 0, int Mode = LayerEntry.DefaultFileMode)
    : LayerEntry(Path, Uid, Gid, Mode);

public sealed record DirectoryEntry(UnixPath Path, int Uid = 0, int Gid = 0, int Mode = LayerEntry.DefaultDirectoryMode)
    : LayerEntry(Path, Uid, Gid, Mode);

/// <summary>A symbolic link; <see cref="Target"/> is stored verbatim (absolute or relative).</summary>
public sealed record SymlinkEntry(UnixPath Path, string Target, int Uid = 0, int Gid = 0)
    : LayerEntry(Path, Uid, Gid, 0b111_111_111);

/// <summary>
/// A hard link to a regular file declared in the same layer (MOD2108 otherwise). All names of a
/// file share one inode, so the link is written with the file's mode and owner; of the names, the
/// one sorted first carries the content and the others link to it.
/// </summary>
public sealed record HardLinkEntry(UnixPath Path, UnixPath Target, int Uid = 0, int Gid = 0, int Mode = LayerEntry.DefaultFileMode)
    : LayerEntry(Path, Uid, Gid, Mode);

/// <summary>
/// A whiteout: hides <see cref="LayerEntry.Path"/> of lower layers. Written as the empty file
/// .wh.NAME in the same directory, mode 0, owned by root.
/// </summary>
public sealed record WhiteoutEntry(UnixPath Path) : LayerEntry(Path, 0, 0, 0);
