using System.Formats.Tar;
using Modulus.Layers;
using Modulus.Layers.Tar;
using static Modulus.Tests.Layers.LayerTestKit;

namespace Modulus.Tests.Layers;

/// <summary>Header values ustar cannot hold, too large to write through a whole layer in a test.</summary>
public class TarHeaderWriterTests
{
    private static TarEntry ReadHeader(TarHeader header)
    {
        var tar = new MemoryStream();
        new TarHeaderWriter(tar).Write(header);
        tar.Position = 0;
        // Only the header is there: read as a stream that cannot seek, the reader returns the
        // entry without trying to step over the data that is not there.
        return new TarReader(new ForwardOnly(tar)).GetNextEntry(copyData: false)!;
    }

    private sealed class ForwardOnly(Stream inner) : Stream
    {
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Test]
    public void A_file_of_8_GiB_or_more_gets_its_size_in_a_PAX_record()
    {
        const long size = 8L << 30;

        var read = ReadHeader(new TarHeader("huge.bin", TarType.Regular, 420, 0, 0, size, "", 0));

        read.Format.ShouldBe(TarEntryFormat.Pax);
        read.Length.ShouldBe(size);
    }

    [Test]
    public void A_file_just_under_8_GiB_stays_ustar()
    {
        const long size = (8L << 30) - 1;

        var read = ReadHeader(new TarHeader("big.bin", TarType.Regular, 420, 0, 0, size, "", 0));

        read.Format.ShouldBe(TarEntryFormat.Ustar);
        read.Length.ShouldBe(size);
    }

    [Test]
    public void A_timestamp_before_1970_is_kept_in_a_PAX_record()
    {
        var options = new LayerWriterOptions(new DateTimeOffset(1960, 1, 2, 3, 4, 5, TimeSpan.Zero));
        using var reader = new TarReader(new MemoryStream(Write([File("/old", "x")], options).Tar));

        var read = reader.GetNextEntry()!;

        read.ModificationTime.ShouldBe(options.Timestamp);
        read.Format.ShouldBe(TarEntryFormat.Pax);
    }
}
