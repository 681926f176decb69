namespace Modulus.Layers;

/// <summary>
/// The part every write-only pass-through of the layer writer shares: no reading, no seeking, no
/// length. A derived stream implements the span <see cref="Write(ReadOnlySpan{byte})"/> and
/// <see cref="Stream.Flush"/>; the array and single-byte writes go through it.
/// </summary>
internal abstract class WriteOnlyStream : Stream
{
    public abstract override void Write(ReadOnlySpan<byte> buffer);

    public sealed override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public sealed override void WriteByte(byte value) => Write([value]);

    public sealed override bool CanRead => false;

    public sealed override bool CanSeek => false;

    public sealed override bool CanWrite => true;

    public sealed override long Length => throw new NotSupportedException();

    public sealed override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public sealed override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public sealed override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public sealed override void SetLength(long value) => throw new NotSupportedException();
}
