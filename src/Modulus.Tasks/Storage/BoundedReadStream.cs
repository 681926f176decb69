using Modulus.Layers;

namespace Modulus.Storage;

/// <summary>
/// A read-only pass-through that holds bytes from outside to the size their descriptor declares:
/// it fails the moment one byte more arrives (so an endless source costs one buffer, not a full
/// disk), and, when the size is exact, when the source ends short. It never asks the source for
/// more than one byte past the limit. The refusal is the caller's coded error from
/// a phrase such as "more than the 80 bytes declared".
/// </summary>
internal sealed class BoundedReadStream : ReadOnlyStream
{
    private readonly long _limit;
    private readonly bool _exact;
    private readonly Func<string, Exception> _refuse;

    private BoundedReadStream(Stream inner, long limit, bool exact, Func<string, Exception> refuse)
        : base(inner)
    {
        _limit = limit;
        _exact = exact;
        _refuse = refuse;
    }

    /// <summary>Exactly <paramref name="size"/> bytes: more, or fewer, is refused.</summary>
    public static BoundedReadStream Exactly(Stream inner, long size, Func<string, Exception> refuse) => new(inner, size, exact: true, refuse);

    /// <summary>Up to <paramref name="limit"/> bytes, for what declares no size (a manifest asked for by tag).</summary>
    public static BoundedReadStream AtMost(Stream inner, long limit, Func<string, Exception> refuse) => new(inner, limit, exact: false, refuse);

    public override int Read(Span<byte> buffer) => Checked(Inner.Read(buffer[..Window(buffer.Length)]), buffer.Length);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Checked(await Inner.ReadAsync(buffer[..Window(buffer.Length)], cancellationToken), buffer.Length);

    /// <summary>How much to ask for: what is left, plus the one byte that proves the source is too long.</summary>
    private int Window(int wanted) => (int)Math.Min(wanted, Math.Max(1, _limit - BytesRead + 1));

    private int Checked(int read, int wanted)
    {
        BytesRead += read;
        if (BytesRead > _limit) throw _refuse(FormattableString.Invariant($"more than the {_limit} bytes {(_exact ? "declared" : "allowed")}"));
        if (read == 0 && wanted > 0 && _exact && BytesRead < _limit)
            throw _refuse(FormattableString.Invariant($"{BytesRead} bytes, not the {_limit} declared"));
        return read;
    }
}
