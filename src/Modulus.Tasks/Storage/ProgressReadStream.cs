using Modulus.Layers;

namespace Modulus.Storage;

/// <summary>
/// A read-only pass-through that tells an observer how many bytes each read returned (0 at the
/// end), for download and upload progress. Its length is the one given, or unknown.
/// </summary>
internal class ProgressReadStream(Stream inner, Action<int> afterRead, long? length = null) : ReadOnlyStream(inner)
{
    /// <summary>Reports each non-empty read's byte count to <paramref name="progress"/>.</summary>
    public ProgressReadStream(Stream inner, IProgress<long> progress)
        : this(inner, read => { if (read > 0) progress.Report(read); })
    {
    }

    public override int Read(Span<byte> buffer) => Counted(Inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Counted(await Inner.ReadAsync(buffer, cancellationToken));

    private int Counted(int read)
    {
        BytesRead += read;
        afterRead(read);
        return read;
    }

    public override long Length => length ?? throw new NotSupportedException();
}
