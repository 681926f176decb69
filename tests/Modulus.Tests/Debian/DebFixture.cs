using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace Modulus.Tests.Debian;

/// <summary>Builds small .deb files in memory: an ar archive of debian-binary, control.tar and data.tar.</summary>
public static class DebFixture
{
    public enum Compression { Gzip, Zstd, None }

    /// <summary>One data.tar entry: a file (Content), directory, symlink or hard link (LinkName).</summary>
    public sealed record Entry(string Name, TarEntryType Type = TarEntryType.RegularFile, string? Content = null, string? LinkName = null, int Mode = 0b110_100_100, int Uid = 0, int Gid = 0);

    public static byte[] Build(string package, string version, IEnumerable<Entry> data,
        Compression compression = Compression.Gzip, IReadOnlyDictionary<string, string>? controlMembers = null, string extraControl = "")
    {
        var control = new List<Entry> { new("./", TarEntryType.Directory, Mode: 0b111_101_101), new("./control", Content: $"Package: {package}\nVersion: {version}\nArchitecture: amd64\n{extraControl}Maintainer: Test <test@invalid>\nDescription: fixture\n") };
        foreach (var (name, content) in controlMembers ?? new Dictionary<string, string>()) control.Add(new("./" + name, Content: content));
        var suffix = compression switch { Compression.Gzip => ".gz", Compression.Zstd => ".zst", _ => "" };
        return Ar(
            ("debian-binary", "2.0\n"u8.ToArray()),
            ("control.tar" + suffix, Compress(Tar(control), compression)),
            ("data.tar" + suffix, Compress(Tar(data), compression)));
    }

    public static byte[] Tar(IEnumerable<Entry> entries)
    {
        var output = new MemoryStream();
        using (var writer = new TarWriter(output, TarEntryFormat.Gnu, leaveOpen: true))
        {
            foreach (var e in entries)
            {
                var entry = new GnuTarEntry(e.Type, e.Name) { Mode = (UnixFileMode)e.Mode, Uid = e.Uid, Gid = e.Gid, ModificationTime = DateTimeOffset.UnixEpoch };
                if (e.LinkName is not null) entry.LinkName = e.LinkName;
                if (e.Content is not null) entry.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(e.Content));
                writer.WriteEntry(entry);
            }
        }
        return output.ToArray();
    }

    public static byte[] Ar(params (string Name, byte[] Bytes)[] members)
    {
        var output = new MemoryStream();
        output.Write("!<arch>\n"u8);
        foreach (var (name, bytes) in members)
        {
            var header = $"{name,-16}{0,-12}{0,-6}{0,-6}{"100644",-8}{bytes.Length,-10}`\n";
            output.Write(Encoding.ASCII.GetBytes(header));
            output.Write(bytes);
            if (bytes.Length % 2 == 1) output.WriteByte((byte)'\n');
        }
        return output.ToArray();
    }

    private static byte[] Compress(byte[] bytes, Compression compression)
    {
        var output = new MemoryStream();
        Stream stream = compression switch
        {
            Compression.Gzip => new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true),
            Compression.Zstd => new ZstdSharp.CompressionStream(output, leaveOpen: true),
            _ => output,
        };
        stream.Write(bytes);
        if (compression != Compression.None) stream.Dispose();
        return output.ToArray();
    }
}
