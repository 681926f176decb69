using System.Text;

namespace Modulus.Debian;

/// <summary>One member of an ar archive: its name and where its bytes lie in the archive file.</summary>
public sealed record ArMember(string Name, long Offset, long Size);

/// <summary>
/// Reads the common ar format a .deb is made of ("!&lt;arch&gt;\n", then 60-byte headers, each
/// member padded to an even size). Every header field is checked, since a .deb comes from
/// the network: a bad header throws <see cref="InvalidDataException"/> rather than guessing.
/// </summary>
public static class ArArchive
{
    private static readonly byte[] Magic = "!<arch>\n"u8.ToArray();

    public static IReadOnlyList<ArMember> ReadMembers(Stream archive)
    {
        var magic = new byte[Magic.Length];
        if (archive.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false) != magic.Length || !magic.AsSpan().SequenceEqual(Magic))
            throw new InvalidDataException("it does not start with the ar magic '!<arch>'");
        var members = new List<ArMember>();
        var position = (long)Magic.Length;
        var header = new byte[60];
        while (true)
        {
            archive.Position = position;
            var read = archive.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
            if (read == 0) break;
            if (read != header.Length) throw new InvalidDataException($"the ar header at byte {position} is truncated");
            if (header[58] != '`' || header[59] != '\n') throw new InvalidDataException($"the ar header at byte {position} has no end marker");
            var name = Encoding.ASCII.GetString(header, 0, 16).TrimEnd(' ').TrimEnd('/');
            var sizeText = Encoding.ASCII.GetString(header, 48, 10).Trim();
            if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '+'))
                throw new InvalidDataException($"the ar member name '{name}' at byte {position} is not valid");
            if (!long.TryParse(sizeText, System.Globalization.NumberStyles.None, null, out var size))
                throw new InvalidDataException($"the ar member '{name}' has an invalid size '{sizeText}'");
            var offset = position + header.Length;
            if (offset + size > archive.Length)
                throw new InvalidDataException($"the ar member '{name}' claims {size} bytes but the archive ends before them");
            members.Add(new ArMember(name, offset, size));
            position = offset + size + (size % 2);
        }
        return members;
    }
}
