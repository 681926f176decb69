using System.IO.Compression;
using System.Text;
using Modulus.Layers;

namespace Modulus.Tests.Layers;

/// <summary>Writes layers in memory and takes them apart again, for assertions.</summary>
internal static class LayerTestKit
{
    public static readonly LayerWriterOptions Options = new(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));

    public sealed record Written(byte[] Blob, LayerDigests Digests)
    {
        public byte[] Tar => Gunzip(Blob);

        public string Listing => LayerListing.OfGzip(new MemoryStream(Blob));
    }

    public static Written Write(IEnumerable<LayerEntry> entries, LayerWriterOptions? options = null)
    {
        var output = new MemoryStream();
        var digests = LayerWriter.Write(entries, output, options ?? Options);
        return new Written(output.ToArray(), digests);
    }

    public static UnixPath P(string path) => UnixPath.Parse(path);

    public static FileEntry File(string path, string text, int mode = LayerEntry.DefaultFileMode, int uid = 0, int gid = 0) =>
        new(P(path), FileContent.FromText(text), uid, gid, mode);

    public static byte[] Gunzip(byte[] blob)
    {
        using var gzip = new GZipStream(new MemoryStream(blob), CompressionMode.Decompress);
        var tar = new MemoryStream();
        gzip.CopyTo(tar);
        return tar.ToArray();
    }

    /// <summary>The raw name field of every header block, PAX headers included, read without any tar library.</summary>
    public static List<string> RawHeaderNames(byte[] tar)
    {
        var names = new List<string>();
        for (var at = 0; at + 512 <= tar.Length && tar[at] != 0; )
        {
            var header = tar.AsSpan(at, 512);
            names.Add(Encoding.ASCII.GetString(header[..100]).TrimEnd('\0'));
            var size = Convert.ToInt64(Encoding.ASCII.GetString(header.Slice(124, 11)), 8);
            at += 512 + (int)((size + 511) / 512 * 512);
        }
        return names;
    }
}
