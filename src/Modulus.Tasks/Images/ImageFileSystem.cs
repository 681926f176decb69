using Modulus.Layers;

namespace Modulus.Images;

/// <summary>The kinds of filesystem entries a layer can hold.</summary>
public enum NodeType { File, Directory, Symlink, HardLink, CharDevice, BlockDevice, Fifo }

/// <summary>One path of the merged view, as the topmost layer that provides it says.</summary>
public sealed record FileSystemNode(UnixPath Path, NodeType Type, int Uid, int Gid, int Mode, long Size, string? LinkTarget, int LayerIndex);

/// <summary>
/// A read-only view of an image's filesystem with all layers applied in order (whiteouts and
/// opaque directories honoured). Built from tar headers only; nothing touches the host filesystem.
/// </summary>
public sealed class ImageFileSystem
{
    public static ImageFileSystem Read(IReadOnlyList<ILayer> layers) => throw new NotImplementedException();

    public bool Exists(UnixPath path) => throw new NotImplementedException();

    /// <summary>The node at exactly <paramref name="path"/> (symlinks not followed), or null.</summary>
    public FileSystemNode? Get(UnixPath path) => throw new NotImplementedException();

    /// <summary>Follows symlinks in every component, never leaving the root; null when missing or looping.</summary>
    public UnixPath? Resolve(UnixPath path) => throw new NotImplementedException();

    public IEnumerable<FileSystemNode> List(UnixPath directory) => throw new NotImplementedException();

    public IEnumerable<FileSystemNode> All => throw new NotImplementedException();

    /// <summary>The content of a regular file (after resolving symlinks), or null; refuses files over <paramref name="maxBytes"/>.</summary>
    public byte[]? ReadFile(UnixPath path, long maxBytes = 1 << 20) => throw new NotImplementedException();
}
