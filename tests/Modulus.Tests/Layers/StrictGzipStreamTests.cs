using System.IO.Compression;
using Modulus.Layers;

namespace Modulus.Tests.Layers;

/// <summary>
/// A layer blob is decompressed as Docker's and containerd's gzip reader does it: whole members,
/// one after another, give their bytes; a stream that stops before its end, or is followed by
/// bytes that are not another member, is refused where the runtime's GZipStream returns what it had.
/// </summary>
public class StrictGzipStreamTests
{
    private static readonly byte[] Content = Enumerable.Range(0, 200_000).Select(i => (byte)(i * 7 % 251)).ToArray();

    private static byte[] Gzip(byte[] content, CompressionLevel level = CompressionLevel.Optimal)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, level, leaveOpen: true)) gzip.Write(content);
        return buffer.ToArray();
    }

    private static byte[] Inflate(byte[] blob)
    {
        using var gzip = StrictGzipStream.Open(new MemoryStream(blob));
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }

    [Test]
    public void A_whole_stream_gives_its_bytes() => Inflate(Gzip(Content)).ShouldBe(Content);

    [Test]
    public void Concatenated_members_give_their_bytes_in_order() =>
        Inflate([.. Gzip(Content[..1000]), .. Gzip(Content[1000..], CompressionLevel.NoCompression)]).ShouldBe(Content);

    [Test]
    public void An_empty_blob_is_an_empty_stream() => Inflate([]).ShouldBeEmpty();

    [Test]
    public void A_read_after_dispose_is_refused_not_handed_to_zlib()
    {
        var gzip = StrictGzipStream.Open(new MemoryStream(Gzip(Content)));
        gzip.ShouldBeOfType<StrictGzipStream>("the runtime's zlib is found here");
        gzip.ReadByte();
        gzip.Dispose();

        Should.Throw<ObjectDisposedException>(() => gzip.ReadByte());
    }

    [TestCase(8, TestName = "A stream without its trailer (CRC and size) is cut short")]
    [TestCase(1, TestName = "A stream without the last byte of its trailer is cut short")]
    [TestCase(-2, TestName = "A stream cut inside its deflate data is cut short")]
    public void A_stream_that_ends_before_its_end_is_refused(int cut)
    {
        var blob = Gzip(Content);
        var kept = cut > 0 ? blob[..^cut] : blob[..(blob.Length / -cut)];
        using (var lenient = new GZipStream(new MemoryStream(kept), CompressionMode.Decompress))
            Should.NotThrow(() => lenient.CopyTo(Stream.Null), "the runtime's reader takes it for whole");

        var error = Should.Throw<GzipTruncatedException>(() => Inflate(kept));

        error.Message.ShouldContain($"after {kept.Length} compressed bytes");
    }

    [Test]
    public void A_second_member_cut_short_is_refused() =>
        Should.Throw<GzipTruncatedException>(() => Inflate([.. Gzip(Content[..1000]), .. Gzip(Content[1000..])[..^4]]));

    [Test]
    public void Bytes_after_the_last_member_that_are_not_a_member_are_refused() =>
        Should.Throw<InvalidDataException>(() => Inflate([.. Gzip(Content), .. "junk"u8.ToArray()]));

    [Test]
    public void A_damaged_trailer_is_refused()
    {
        var blob = Gzip(Content);
        blob[^6] ^= 0x01;

        Should.Throw<InvalidDataException>(() => Inflate(blob)).Message.ShouldContain("damaged");
    }
}
