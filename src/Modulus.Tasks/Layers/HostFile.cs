using System.Runtime.InteropServices;

namespace Modulus.Layers;

/// <summary>What a host path is, after following symbolic links to their end.</summary>
public enum HostFileKind { Missing, RegularFile, Directory, Fifo, CharacterDevice, BlockDevice, Socket, Other }

/// <summary>
/// Tells what a host path is without opening it. Opening is what must not happen to anything but
/// a regular file: opening a FIFO blocks until a writer comes, and a device such as /dev/zero
/// never ends. .NET says only "file or folder", so this asks the runtime's own stat (the one
/// <see cref="File.GetUnixFileMode(string)"/> uses), which keeps the file type bits.
/// </summary>
public static class HostFile
{
    /// <summary>The kind of <paramref name="path"/>, symbolic links followed (a link counts as what it ends at).</summary>
    public static HostFileKind KindOf(string path)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return ByExistence(path);
        var status = new FileStatus();
        try
        {
            if (Stat(path, ref status) != 0) return HostFileKind.Missing;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            // The runtime's stat is not a public API: a runtime without it gets what .NET alone
            // can tell (and a build that works), not a crash.
            return ByExistence(path);
        }
        return (status.Mode & TypeMask) switch
        {
            RegularBits => HostFileKind.RegularFile,
            DirectoryBits => HostFileKind.Directory,
            FifoBits => HostFileKind.Fifo,
            CharacterDeviceBits => HostFileKind.CharacterDevice,
            BlockDeviceBits => HostFileKind.BlockDevice,
            SocketBits => HostFileKind.Socket,
            _ => HostFileKind.Other,
        };
    }

    private static HostFileKind ByExistence(string path) =>
        File.Exists(path) ? HostFileKind.RegularFile : Directory.Exists(path) ? HostFileKind.Directory : HostFileKind.Missing;

    /// <summary>How an error names a kind: "a FIFO", "a character device".</summary>
    public static string Describe(HostFileKind kind) => kind switch
    {
        HostFileKind.Missing => "missing",
        HostFileKind.RegularFile => "a regular file",
        HostFileKind.Directory => "a folder",
        HostFileKind.Fifo => "a FIFO (named pipe)",
        HostFileKind.CharacterDevice => "a character device",
        HostFileKind.BlockDevice => "a block device",
        HostFileKind.Socket => "a socket",
        _ => "not a regular file",
    };

    // The runtime normalizes st_mode's type bits to these values on every Unix.
    private const int TypeMask = 0xF000;
    private const int FifoBits = 0x1000;
    private const int CharacterDeviceBits = 0x2000;
    private const int DirectoryBits = 0x4000;
    private const int BlockDeviceBits = 0x6000;
    private const int RegularBits = 0x8000;
    private const int SocketBits = 0xC000;

    /// <summary>
    /// The head of the runtime's FileStatus (flags, then mode); the rest is padding large enough
    /// for any version of the struct, whose later fields this does not read.
    /// </summary>
    [StructLayout(LayoutKind.Sequential, Size = 256)]
    private struct FileStatus
    {
        public int Flags;
        public int Mode;
    }

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat")]
    private static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, ref FileStatus status);
}
