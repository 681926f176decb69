namespace Modulus.Layers.Tar;

/// <summary>The tar type flags a layer holds.</summary>
internal static class TarType
{
    public const byte Regular = (byte)'0';
    public const byte HardLink = (byte)'1';
    public const byte Symlink = (byte)'2';
    public const byte Directory = (byte)'5';
    public const byte PaxExtended = (byte)'x';
}

/// <summary>
/// One tar header as written. <see cref="Name"/> is the entry name without a leading slash
/// (directories end with '/'); <see cref="ModificationTime"/> is in seconds since the epoch.
/// </summary>
internal readonly record struct TarHeader(
    string Name, byte Type, int Mode, long Uid, long Gid, long Size, string LinkName, long ModificationTime);
