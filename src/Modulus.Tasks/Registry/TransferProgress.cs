using Modulus.Oci;
using Modulus.Storage;

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

/// <summary>A blob's bytes read through a <see cref="TransferMeter"/>.</summary>
internal sealed class ProgressStream(Stream inner, TransferDirection direction, Digest digest, long total, RegistryOptions options, IProgress<TransferProgress>? progress)
    : ProgressReadStream(inner, new TransferMeter(direction, digest, total, options, progress).Count, total);

/// <summary>
/// Counts the bytes of one transfer and reports at most once per interval, so a caller sees
/// regular progress without one callback per buffer.
/// </summary>
internal sealed class TransferMeter(TransferDirection direction, Digest digest, long total, RegistryOptions options, IProgress<TransferProgress>? progress)
{
    private readonly long _started = options.Time.GetTimestamp();
    private readonly bool _reports = progress is not null && total >= options.ProgressThreshold;
    private long _lastReport = options.Time.GetTimestamp();
    private long _position;
    private bool _finished;

    public void Count(int read)
    {
        _position += read;
        if (!_reports || _finished) return;
        var now = options.Time.GetTimestamp();
        var done = read == 0 || _position >= total;
        if (done || options.Time.GetElapsedTime(_lastReport, now) >= options.ProgressInterval)
        {
            _lastReport = now;
            _finished = done;
            var seconds = Math.Max(options.Time.GetElapsedTime(_started, now).TotalSeconds, 1e-3);
            progress!.Report(new TransferProgress(direction, digest, _position, total, _position / seconds, done));
        }
    }
}
