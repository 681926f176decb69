namespace Modulus.Layers;

/// <summary>The kinds of filesystem entries a layer can hold.</summary>
public enum NodeType { File, Directory, Symlink, HardLink, CharDevice, BlockDevice, Fifo }
