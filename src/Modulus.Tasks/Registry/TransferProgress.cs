using Modulus.Oci;

namespace Modulus.Registry;

public enum TransferDirection { Pull, Push }

/// <summary>How far a blob transfer has come, reported at intervals for large blobs and once when done.</summary>
public sealed record TransferProgress(TransferDirection Direction, Digest Digest, long BytesTransferred, long TotalBytes, double BytesPerSecond, bool Completed)
{
    public override string ToString() =>
        $"{(Direction == TransferDirection.Pull ? "Pulling" : "Pushing")} {Digest.Encoded[..12]}: {Bytes(BytesTransferred)} of {Bytes(TotalBytes)} at {Bytes((long)BytesPerSecond)}/s{(Completed ? ", done" : string.Empty)}";

    internal static string Bytes(long n) => n switch
    {
        >= 1L << 30 => FormattableString.Invariant($"{n / (double)(1L << 30):0.0} GiB"),
        >= 1L << 20 => FormattableString.Invariant($"{n / (double)(1L << 20):0.0} MiB"),
        >= 1L << 10 => FormattableString.Invariant($"{n / 1024.0:0.0} KiB"),
        _ => $"{n} B",
    };
}

/// <summary>
/// A read-only stream that counts what passes through it and reports at most once per interval,
/// so a caller sees regular progress without one callback per buffer.
/// </summary>
internal sealed class ProgressStream(Stream inner, TransferDirection direction, Digest digest, long total, RegistryOptions options, IProgress<TransferProgress>? progress) : Stream
{
    private readonly long _started = options.Time.GetTimestamp();
    private readonly bool _reports = progress is not null && total >= options.ProgressThreshold;
    private long _lastReport = options.Time.GetTimestamp();
    private long _position;
    private bool _finished;

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Count(int read)
    {
        _position += read;
        if (!_reports || _finished) return read;
        var now = options.Time.GetTimestamp();
        var done = read == 0 || _position >= total;
        if (done || options.Time.GetElapsedTime(_lastReport, now) >= options.ProgressInterval)
        {
            _lastReport = now;
            _finished = done;
            var seconds = Math.Max(options.Time.GetElapsedTime(_started, now).TotalSeconds, 1e-3);
            progress!.Report(new TransferProgress(direction, digest, _position, total, _position / seconds, done));
        }
        return read;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => total;
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
