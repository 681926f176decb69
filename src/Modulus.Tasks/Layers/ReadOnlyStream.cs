namespace Modulus.Layers;

/// <summary>
/// The part every read-only pass-through shares (progress, a size bound, a digest check): no
/// writing, no seeking, the inner stream disposed with it. A derived stream implements the span
/// <see cref="Read(Span{byte})"/> (and the Memory ReadAsync when it
/// reads asynchronously), counting what it returns in <see cref="BytesRead"/>.
/// </summary>
internal abstract class ReadOnlyStream(Stream inner) : Stream
{
    protected Stream Inner { get; } = inner;

    /// <summary>The bytes returned so far: the stream's position.</summary>
    protected long BytesRead { get; set; }

    public abstract override int Read(Span<byte> buffer);

    public sealed override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public sealed override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public sealed override bool CanRead => true;

    public sealed override bool CanSeek => false;

    public sealed override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public sealed override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public sealed override void Flush() { }

    public sealed override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public sealed override void SetLength(long value) => throw new NotSupportedException();

    public sealed override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) Inner.Dispose();
        base.Dispose(disposing);
    }
}
