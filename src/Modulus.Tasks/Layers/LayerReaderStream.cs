namespace Modulus.Layers;

/// <summary>
/// Hides a stream's ability to seek. Given a seekable stream, TarReader skips a body by moving the
/// position, even past the end, so a header whose size lies would go unnoticed; reading past the
/// body instead fails at the end of the archive, which <see cref="LayerReader"/> reports. It also
/// keeps the last header block read, so an entry the tar reader refuses can still be named.
/// </summary>
internal sealed class LayerReaderStream(Stream inner) : Stream
{
    private const int BlockSize = 512;

    private readonly byte[] lastBlock = new byte[BlockSize];

    public long BytesRead { get; private set; }

    /// <summary>The name in the last 512-byte block read in one call (the tar reader reads headers so), or null.</summary>
    public string? LastHeaderName
    {
        get
        {
            var name = Field(0, 100);
            if (name.Length == 0) return null;
            var isUstar = lastBlock.AsSpan(257, 5).SequenceEqual("ustar"u8);
            var prefix = isUstar ? Field(345, 155) : string.Empty;
            return prefix.Length > 0 ? prefix + "/" + name : name;
        }
    }

    /// <summary>The type flag in the last header block read.</summary>
    public char LastHeaderType => (char)lastBlock[156];

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        BytesRead += read;
        if (read == BlockSize && buffer.Length == BlockSize) buffer[..BlockSize].CopyTo(lastBlock);
        return read;
    }

    private string Field(int offset, int length)
    {
        var field = lastBlock.AsSpan(offset, length);
        var end = field.IndexOf((byte)0);
        return System.Text.Encoding.UTF8.GetString(end < 0 ? field : field[..end]);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
