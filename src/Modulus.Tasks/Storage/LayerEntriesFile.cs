using System.Security.Cryptography;
using System.Text;
using Modulus.Layers;
using Modulus.Oci;

namespace Modulus.Storage;

/// <summary>
/// The binary form of a layer's entries (<see cref="LayerEntriesMemo"/>): a header naming the
/// format and the diffID, then per entry its path as the length it shares with the previous
/// path plus the rest (archive order keeps neighbours alike), a byte of type, marker and flags,
/// owner, mode and size as 7-bit varints, the link target, the kept body and the kept head of an
/// executable when there is one; last, the SHA-256 of everything before it, so a damaged file is
/// noticed, not believed. Format 2 added the heads: a format-1 file has none, and a view recalled
/// from it would tell no executable's architecture, so it is not read. Format 3 is format 2 written
/// only after a read that went to the end of the stream and hashed the tar to its diffID: a file
/// is also the verdict of the base layer check, and a format-2 file was made without those, so it
/// is not read either (LayerEntriesMemo's v3 folder).
/// </summary>
internal static class LayerEntriesFile
{
    private static readonly byte[] Magic = "MODULUS LAYER ENTRIES 3\n"u8.ToArray();
    private const int HashBytes = 32;
    private const int HasLink = 1 << 5;
    private const int HasBody = 1 << 6;
    private const int HasHead = 1 << 7;

    public static byte[] Write(Digest diffId, IReadOnlyList<LayerReaderEntry> entries)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(diffId.ToString());
            writer.Write7BitEncodedInt(entries.Count);
            var previous = string.Empty;
            foreach (var entry in entries)
            {
                var path = entry.Path.Value;
                var shared = SharedLength(previous, path);
                writer.Write7BitEncodedInt(shared);
                writer.Write(path[shared..]);
                previous = path;
                writer.Write((byte)((int)entry.Type | (int)entry.Marker << 3
                    | (entry.LinkTarget is null ? 0 : HasLink) | (entry.Content is null ? 0 : HasBody) | (entry.Head is null ? 0 : HasHead)));
                writer.Write7BitEncodedInt(entry.Uid);
                writer.Write7BitEncodedInt(entry.Gid);
                writer.Write7BitEncodedInt(entry.Mode);
                writer.Write7BitEncodedInt64(entry.Size);
                if (entry.LinkTarget is { } target) writer.Write(target);
                if (entry.Content is { } body)
                {
                    writer.Write7BitEncodedInt(body.Length);
                    writer.Write(body);
                }
                if (entry.Head is { } head)
                {
                    writer.Write((byte)head.Length);
                    writer.Write(head);
                }
            }
        }
        buffer.Write(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
        return buffer.ToArray();
    }

    /// <summary>The entries in <paramref name="bytes"/> if they are whole, of this format and of <paramref name="diffId"/>; else null.</summary>
    public static IReadOnlyList<LayerReaderEntry>? TryRead(byte[] bytes, Digest diffId)
    {
        if (bytes.Length < Magic.Length + HashBytes || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic)) return null;
        var payload = bytes.Length - HashBytes;
        if (!SHA256.HashData(bytes.AsSpan(0, payload)).AsSpan().SequenceEqual(bytes.AsSpan(payload))) return null;
        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes, Magic.Length, payload - Magic.Length), Encoding.UTF8);
            if (reader.ReadString() != diffId.ToString()) return null;
            var count = reader.Read7BitEncodedInt();
            var entries = new List<LayerReaderEntry>(Math.Min(count, payload));
            var previous = string.Empty;
            for (var i = 0; i < count; i++)
            {
                var shared = reader.Read7BitEncodedInt();
                var value = string.Concat(previous.AsSpan(0, shared), reader.ReadString());
                // Only a normalized path was written; anything else is not a file this wrote.
                if (value.Length == 0 || !UnixPath.TryFromTarName(value[1..], out var path) || path.Value != value) return null;
                previous = value;
                int flags = reader.ReadByte();
                var (type, marker) = ((NodeType)(flags & 0b111), (LayerEntryMarker)(flags >> 3 & 0b11));
                if (!Enum.IsDefined(type) || !Enum.IsDefined(marker)) return null;
                var (uid, gid, mode, size) = (reader.Read7BitEncodedInt(), reader.Read7BitEncodedInt(), reader.Read7BitEncodedInt(), reader.Read7BitEncodedInt64());
                var target = (flags & HasLink) != 0 ? reader.ReadString() : null;
                var body = (flags & HasBody) != 0 ? reader.ReadBytes(reader.Read7BitEncodedInt()) : null;
                if (body is not null && body.LongLength != size) return null;
                var head = (flags & HasHead) != 0 ? reader.ReadBytes(reader.ReadByte()) : null;
                if (head is not null && (head.Length > LayerReaderEntry.MaxHeadBytes || head.Length > size)) return null;
                entries.Add(new LayerReaderEntry(path, type, uid, gid, mode, size, target, marker, body, head));
            }
            return reader.BaseStream.Position == reader.BaseStream.Length ? entries : null;
        }
        catch (Exception e) when (e is EndOfStreamException or FormatException or ArgumentOutOfRangeException or IOException)
        {
            return null;
        }
    }

    private static int SharedLength(string a, string b) => a.AsSpan().CommonPrefixLength(b);
}
