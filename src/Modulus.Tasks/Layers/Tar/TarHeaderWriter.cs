using System.Text;

namespace Modulus.Layers.Tar;

/// <summary>
/// Writes POSIX tar headers: ustar whenever the entry fits, preceded by a PAX extended header
/// ('x') carrying only the values ustar cannot hold. Our own writer rather than
/// System.Formats.Tar because that one names its PAX headers after the process id, which would
/// make two builds of the same layer differ.
/// </summary>
internal sealed class TarHeaderWriter(Stream tar)
{
    public const int BlockSize = 512;

    private const int NameSize = 100;
    private const int PrefixSize = 155;
    private const long MaxOctal7 = 0x1F_FFFF; // 07777777: uid, gid
    private const long MaxOctal11 = 0x1_FFFF_FFFF; // 077777777777: size, mtime (8 GiB - 1)

    private readonly byte[] _block = new byte[BlockSize];

    public void Write(TarHeader header)
    {
        var pax = PaxRecords(header, out var prefix, out var name);
        if (pax.Count > 0) WritePax(header, pax);
        WriteUstar(header with { Name = name }, prefix);
    }

    /// <summary>Pads the data of an entry of <paramref name="size"/> bytes to a whole block.</summary>
    public void WritePadding(long size)
    {
        var rest = (int)(size % BlockSize);
        if (rest == 0) return;
        Array.Clear(_block);
        tar.Write(_block, 0, BlockSize - rest);
    }

    /// <summary>The end of the archive: two zero blocks.</summary>
    public void WriteEnd()
    {
        Array.Clear(_block);
        tar.Write(_block);
        tar.Write(_block);
    }

    /// <summary>
    /// The PAX records <paramref name="header"/> needs, in key order, and the ustar prefix and name
    /// to write (a shortened ASCII stand-in when the real name goes in a PAX record).
    /// </summary>
    private static SortedDictionary<string, string> PaxRecords(TarHeader header, out string prefix, out string name)
    {
        var records = new SortedDictionary<string, string>(StringComparer.Ordinal);
        prefix = string.Empty;
        name = header.Name;
        if (!Ascii.IsValid(header.Name) || (header.Name.Length > NameSize && !TrySplit(header.Name, out prefix, out name)))
        {
            records["path"] = header.Name;
            prefix = string.Empty;
            name = Shorten(header.Name, NameSize);
        }
        if (!Ascii.IsValid(header.LinkName) || header.LinkName.Length > NameSize) records["linkpath"] = header.LinkName;
        if (header.Size > MaxOctal11) records["size"] = Invariant(header.Size);
        if (header.Uid > MaxOctal7) records["uid"] = Invariant(header.Uid);
        if (header.Gid > MaxOctal7) records["gid"] = Invariant(header.Gid);
        if (header.ModificationTime is < 0 or > MaxOctal11) records["mtime"] = Invariant(header.ModificationTime);
        return records;
    }

    /// <summary>
    /// Splits a long ASCII name at a '/' into ustar's prefix (up to 155 bytes) and name (up to
    /// 100), the way POSIX readers join them back.
    /// </summary>
    private static bool TrySplit(string path, out string prefix, out string name)
    {
        prefix = name = string.Empty;
        var end = path.Length > PrefixSize + 1 ? PrefixSize + 1 : path.EndsWith('/') ? path.Length - 1 : path.Length;
        var slash = path.LastIndexOf('/', end - 1);
        var nameLength = path.Length - slash - 1;
        if (slash <= 0 || nameLength == 0 || nameLength > NameSize || slash > PrefixSize) return false;
        prefix = path[..slash];
        name = path[(slash + 1)..];
        return true;
    }

    private void WritePax(TarHeader header, SortedDictionary<string, string> records)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in records) text.Append(PaxRecord(key, value));
        var data = Encoding.UTF8.GetBytes(text.ToString());
        // Named after the entry, never after the process, so the bytes depend on the input only.
        var baseName = header.Name.TrimEnd('/');
        baseName = baseName[(baseName.LastIndexOf('/') + 1)..];
        var paxName = Shorten("PaxHeaders/" + baseName, NameSize);
        WriteUstar(new TarHeader(paxName, TarType.PaxExtended, 0b110_100_100, 0, 0, data.Length, string.Empty,
            Math.Clamp(header.ModificationTime, 0, MaxOctal11)), string.Empty);
        tar.Write(data);
        WritePadding(data.Length);
    }

    /// <summary>"LEN key=value\n", where LEN counts the whole record including its own digits.</summary>
    private static string PaxRecord(string key, string value)
    {
        var rest = Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(value) + 3;
        var length = rest + Invariant(rest).Length;
        if (Invariant(length).Length != Invariant(rest).Length) length++;
        return $"{Invariant(length)} {key}={value}\n";
    }

    private void WriteUstar(TarHeader header, string prefix)
    {
        var block = _block.AsSpan();
        block.Clear();
        WriteText(block[..100], header.Name);
        WriteOctal(block.Slice(100, 8), header.Mode);
        WriteOctal(block.Slice(108, 8), header.Uid > MaxOctal7 ? 0 : header.Uid);
        WriteOctal(block.Slice(116, 8), header.Gid > MaxOctal7 ? 0 : header.Gid);
        WriteOctal(block.Slice(124, 12), header.Size > MaxOctal11 ? 0 : header.Size);
        WriteOctal(block.Slice(136, 12), Math.Clamp(header.ModificationTime, 0, MaxOctal11));
        block.Slice(148, 8).Fill((byte)' ');
        block[156] = header.Type;
        WriteText(block.Slice(157, 100), Ascii.IsValid(header.LinkName) ? header.LinkName : Shorten(header.LinkName, NameSize));
        WriteText(block.Slice(257, 8), "ustar\0" + "00");
        // uname and gname stay empty: owners are numeric, so the host's user names never leak in.
        WriteOctal(block.Slice(329, 8), 0);
        WriteOctal(block.Slice(337, 8), 0);
        WriteText(block.Slice(345, PrefixSize), prefix);
        var checksum = 0;
        foreach (var b in block) checksum += b;
        WriteOctal(block.Slice(148, 7), checksum);
        tar.Write(_block);
    }

    /// <summary>Zero-padded octal digits filling the field but its last byte, which stays NUL.</summary>
    private static void WriteOctal(Span<byte> field, long value)
    {
        for (var i = field.Length - 2; i >= 0; i--, value >>= 3) field[i] = (byte)('0' + (value & 7));
        field[^1] = 0;
    }

    private static void WriteText(Span<byte> field, string value) =>
        Encoding.ASCII.GetBytes(value.AsSpan(0, Math.Min(value.Length, field.Length)), field);

    /// <summary>An ASCII stand-in for a name that lives in a PAX record, for readers that ignore PAX.</summary>
    private static string Shorten(string value, int size)
    {
        var chars = value.Select(c => char.IsAscii(c) && c != '\0' ? c : '_').ToArray();
        return new string(chars, 0, Math.Min(chars.Length, size));
    }

    private static string Invariant(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
