using Modulus.Layers;
using static Modulus.Tests.Layers.LayerTestKit;

namespace Modulus.Tests.Layers;

/// <summary>
/// Deflate's output depends on how its input is cut into writes, so a source that answers reads
/// with fewer bytes than asked (a pipe, a network or FUSE file system) must not change the layer.
/// </summary>
public class ShortReadTests
{
    [Test]
    public void A_source_that_reads_a_few_bytes_at_a_time_gives_the_same_layer()
    {
        var random = new Random(7);
        var text = string.Concat(Enumerable.Range(0, 20_000).Select(i => $"line {i} {random.Next(1000)} {(i % 7 == 0 ? "again" : "once")}\n"));
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);

        var whole = Write(FileContent.FromBytes(bytes));
        var trickled = Write(new TrickleContent(bytes));

        trickled.Digest.ShouldBe(whole.Digest);
        trickled.DiffId.ShouldBe(whole.DiffId);
    }

    private static LayerDigests Write(FileContent content)
    {
        using var output = new MemoryStream();
        return LayerWriter.Write([new FileEntry(P("/data/blob.bin"), content)], output, LayerWriterOptions.Default);
    }

    /// <summary>Content whose stream returns at most 1000 bytes per read.</summary>
    private sealed class TrickleContent(byte[] bytes) : FileContent
    {
        public override long Length => bytes.Length;

        public override Stream OpenRead() => new Trickle(bytes);

        public override string Describe() => "a trickling source";

        private sealed class Trickle(byte[] bytes) : MemoryStream(bytes, writable: false)
        {
            public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 1000));

            public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, 1000)]);
        }
    }
}
