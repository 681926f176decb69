namespace Modulus.Storage;

/// <summary>
/// A read-only pass-through that tells an observer how many bytes each read returned (0 at the
/// end), for download and upload progress. Its length is the one given, or unknown.
/// </summary>
internal class ProgressReadStream(Stream inner, Action<int> afterRead, long? length = null) : Stream
{
    private long _position;

    /// <summary>Reports each non-empty read's byte count to <paramref name="progress"/>.</summary>
    public ProgressReadStream(Stream inner, IProgress<long> progress)
        : this(inner, read => { if (read > 0) progress.Report(read); })
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => Counted(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Counted(inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Counted(await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Counted(int read)
    {
        _position += read;
        afterRead(read);
        return read;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => length ?? throw new NotSupportedException();
    public override long Position { get => _position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
