namespace Modulus.Layers;

/// <summary>
/// Pins the two gzip header fields that could vary between builds of the same layer: MTIME
/// (bytes 4..7, zero = unknown; the runtime writes zero today, this keeps it so if that changes)
/// and OS (byte 9, 255 = unknown, which otherwise names the operating system that compressed it).
/// Everything after the 10-byte header passes through untouched. Never closes <paramref name="inner"/>.
/// </summary>
internal sealed class GzipHeaderPin(Stream inner) : WriteOnlyStream
{
    private const int HeaderSize = 10;
    private const byte UnknownOs = 255;

    private long _position;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (buffer.IsEmpty) return;
        if (_position >= HeaderSize)
        {
            _position += buffer.Length;
            inner.Write(buffer);
            return;
        }
        var headerPart = (int)Math.Min(buffer.Length, HeaderSize - _position);
        Span<byte> header = stackalloc byte[headerPart];
        buffer[..headerPart].CopyTo(header);
        for (var i = 0; i < headerPart; i++)
        {
            var at = _position + i;
            if (at is >= 4 and <= 7) header[i] = 0;
            else if (at == 9) header[i] = UnknownOs;
        }
        _position += headerPart;
        inner.Write(header);
        Write(buffer[headerPart..]);
    }

    public override void Flush() => inner.Flush();
}
