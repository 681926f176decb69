using System.Formats.Tar;
using System.Text;
using Modulus.Images;
using Modulus.Oci;

namespace Modulus.Tests.TestSupport;

/// <summary>
/// An uncompressed layer held in memory, built from a few declared entries (or raw bytes, for
/// broken archives). Its DiffId is its Digest, as for any uncompressed layer.
/// </summary>
/// <example><code>
/// var layer = TarLayer.Of(
///     TarLayer.Directory("etc"),
///     TarLayer.File("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"),
///     TarLayer.Symlink("bin", "usr/bin"),
///     TarLayer.Whiteout("var/cache"));
/// </code></example>
public sealed class TarLayer(byte[] bytes) : ILayer
{
    public const int FileMode = 0b110_100_100; // 0644
    public const int DirectoryMode = 0b111_101_101; // 0755

    private static readonly DateTimeOffset Epoch = DateTimeOffset.UnixEpoch;

    public byte[] Bytes { get; } = bytes;

    public string MediaType => MediaTypes.OciLayer;

    public Digest Digest { get; } = Digest.Compute(bytes);

    public Digest DiffId => Digest;

    public long Size => Bytes.Length;

    public Stream OpenBlob() => new MemoryStream(Bytes, writable: false);

    /// <summary>How many times the tar was opened, to check that readers make one pass.</summary>
    public int TarOpens { get; private set; }

    public Stream OpenTar()
    {
        TarOpens++;
        return OpenBlob();
    }

    public override string ToString() => Digest.ToString();

    /// <summary>A layer holding <paramref name="entries"/> in the given order.</summary>
    public static TarLayer Of(params TarEntry[] entries) => new(Write(TarEntryFormat.Pax, entries));

    /// <summary>The bytes of a tar of <paramref name="entries"/>, for tests of one archive format.</summary>
    public static byte[] Write(TarEntryFormat format, params TarEntry[] entries)
    {
        using var output = new MemoryStream();
        using (var writer = new TarWriter(output, format, leaveOpen: true))
            foreach (var entry in entries) writer.WriteEntry(entry);
        return output.ToArray();
    }

    public static TarEntry File(string name, string content, int mode = FileMode, int uid = 0, int gid = 0) =>
        File(name, Encoding.UTF8.GetBytes(content), mode, uid, gid);

    public static TarEntry File(string name, byte[] content, int mode = FileMode, int uid = 0, int gid = 0)
    {
        var entry = Entry(TarEntryType.RegularFile, name, mode, uid, gid);
        entry.DataStream = new MemoryStream(content);
        return entry;
    }

    public static TarEntry Directory(string name, int mode = DirectoryMode, int uid = 0, int gid = 0) =>
        Entry(TarEntryType.Directory, name, mode, uid, gid);

    public static TarEntry Symlink(string name, string target, int uid = 0, int gid = 0)
    {
        var entry = Entry(TarEntryType.SymbolicLink, name, 0b111_111_111, uid, gid);
        entry.LinkName = target;
        return entry;
    }

    public static TarEntry HardLink(string name, string target, int mode = FileMode)
    {
        var entry = Entry(TarEntryType.HardLink, name, mode, 0, 0);
        entry.LinkName = target;
        return entry;
    }

    /// <summary>Hides <paramref name="path"/> of lower layers: an empty file named '.wh.NAME' beside it.</summary>
    public static TarEntry Whiteout(string path)
    {
        var slash = path.LastIndexOf('/');
        return Entry(TarEntryType.RegularFile, path[..(slash + 1)] + ".wh." + path[(slash + 1)..], FileMode, 0, 0);
    }

    /// <summary>Hides the lower layers' contents of <paramref name="directory"/>.</summary>
    public static TarEntry Opaque(string directory) =>
        Entry(TarEntryType.RegularFile, directory.TrimEnd('/') + "/.wh..wh..opq", FileMode, 0, 0);

    public static TarEntry Fifo(string name) => Entry(TarEntryType.Fifo, name, FileMode, 0, 0);

    public static TarEntry CharDevice(string name, int major, int minor)
    {
        var entry = (PaxTarEntry)Entry(TarEntryType.CharacterDevice, name, FileMode, 0, 0);
        entry.DeviceMajor = major;
        entry.DeviceMinor = minor;
        return entry;
    }

    public static TarEntry BlockDevice(string name, int major, int minor)
    {
        var entry = (PaxTarEntry)Entry(TarEntryType.BlockDevice, name, FileMode, 0, 0);
        entry.DeviceMajor = major;
        entry.DeviceMinor = minor;
        return entry;
    }

    /// <summary>
    /// A hand-made ustar header (no body), for archives no writer would produce: a size that lies,
    /// an exotic type flag. <paramref name="declaredSize"/> is written as 11 octal digits.
    /// </summary>
    public static byte[] RawHeader(string name, char typeFlag, long declaredSize, string linkName = "")
    {
        var header = new byte[512];
        Encoding.ASCII.GetBytes(name).CopyTo(header, 0);
        Encoding.ASCII.GetBytes("0000644\0").CopyTo(header, 100);
        Encoding.ASCII.GetBytes("0000000\0").CopyTo(header, 108);
        Encoding.ASCII.GetBytes("0000000\0").CopyTo(header, 116);
        Encoding.ASCII.GetBytes(Convert.ToString(declaredSize, 8).PadLeft(11, '0') + "\0").CopyTo(header, 124);
        Encoding.ASCII.GetBytes("00000000000\0").CopyTo(header, 136);
        header[156] = (byte)typeFlag;
        Encoding.ASCII.GetBytes(linkName).CopyTo(header, 157);
        Encoding.ASCII.GetBytes("ustar\0" + "00").CopyTo(header, 257);
        "        "u8.CopyTo(header.AsSpan(148));
        var checksum = header.Sum(b => b);
        Encoding.ASCII.GetBytes(Convert.ToString(checksum, 8).PadLeft(6, '0') + "\0 ").CopyTo(header, 148);
        return header;
    }

    private static TarEntry Entry(TarEntryType type, string name, int mode, int uid, int gid) =>
        new PaxTarEntry(type, name)
        {
            Mode = (UnixFileMode)mode,
            Uid = uid,
            Gid = gid,
            ModificationTime = Epoch,
        };
}
