using System.Runtime.InteropServices;

namespace Modulus.Layers;

/// <summary>
/// Decompresses a gzip stream, one member after another, and fails where the runtime's GZipStream
/// stays silent: a stream that ends before its last member does (cut inside the deflate data or
/// before the trailer's CRC and size) throws <see cref="GzipTruncatedException"/>, as Go's gzip
/// reader, and so Docker and containerd, refuse it. Bytes after a member that do not start another
/// member are an error too (<see cref="InvalidDataException"/>), as they are there. It drives the
/// zlib the runtime ships (the same inflate as GZipStream, which checks each member's CRC and
/// size); only the end of the input is judged here. An empty input is an empty stream.
/// </summary>
internal sealed class StrictGzipStream : ReadOnlyStream
{
    private const int GzipWindowBits = 31; // 15 (the largest window) + 16: a gzip header and trailer, not zlib's
    private const int StreamEnd = 1;
    private const int BufferError = -5;
    private const int BufferSize = 1 << 16;

    // Pinned for the stream's life: zlib keeps pointers into them between calls.
    private readonly byte[] _input = GC.AllocateUninitializedArray<byte>(BufferSize, pinned: true);
    private readonly byte[] _output = GC.AllocateUninitializedArray<byte>(BufferSize, pinned: true);
    private ZStream _zlib;
    private bool _open;
    private bool _memberEnded;
    private bool _anyInput;
    private bool _disposed;

    private StrictGzipStream(Stream compressed) : base(compressed) => Begin();

    private static bool? _zlibFound;

    /// <summary>
    /// The decompressed stream of <paramref name="compressed"/> (which it owns): strict, or the
    /// runtime's GZipStream where the runtime's zlib exports are not found (another runtime than
    /// the one this was built against), which reads a whole stream the same and misses only a cut
    /// one's end.
    /// </summary>
    public static Stream Open(Stream compressed)
    {
        if (_zlibFound != false)
        {
            try
            {
                var strict = new StrictGzipStream(compressed);
                _zlibFound = true;
                return strict;
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                _zlibFound = false;
            }
            catch
            {
                compressed.Dispose();
                throw;
            }
        }
        return new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionMode.Decompress);
    }

    /// <summary>The compressed bytes read so far.</summary>
    public long CompressedBytesRead { get; private set; }

    public override int Read(Span<byte> buffer)
    {
        // After End, zlib's state is gone: a read then would hand it a null state.
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.IsEmpty) return 0;
        while (true)
        {
            if (_zlib.AvailIn == 0 && !Refill())
            {
                if (_memberEnded || !_anyInput) return 0;
                throw new GzipTruncatedException(BytesRead, CompressedBytesRead);
            }
            if (_memberEnded)
            {
                // More bytes after a whole member: they must be the next member.
                End();
                Begin();
            }
            _zlib.NextOut = Marshal.UnsafeAddrOfPinnedArrayElement(_output, 0);
            _zlib.AvailOut = (uint)Math.Min(buffer.Length, _output.Length);
            var capacity = _zlib.AvailOut;
            var result = Inflate(ref _zlib, 0);
            if (result == StreamEnd) _memberEnded = true;
            else if (result < 0 && result != BufferError)
                throw new InvalidDataException($"the gzip stream is damaged after {CompressedBytesRead} compressed bytes ({Message() ?? $"zlib error {result}"})");
            var produced = (int)(capacity - _zlib.AvailOut);
            if (produced == 0) continue;
            _output.AsSpan(0, produced).CopyTo(buffer);
            BytesRead += produced;
            return produced;
        }
    }

    /// <summary>Reads more compressed input; false at its end.</summary>
    private bool Refill()
    {
        var read = Inner.Read(_input, 0, _input.Length);
        if (read == 0) return false;
        _anyInput = true;
        CompressedBytesRead += read;
        _zlib.NextIn = Marshal.UnsafeAddrOfPinnedArrayElement(_input, 0);
        _zlib.AvailIn = (uint)read;
        return true;
    }

    private void Begin()
    {
        // Init copies its fresh state over these fields: the input not yet inflated is put back after it.
        var (nextIn, availIn) = (_zlib.NextIn, _zlib.AvailIn);
        _zlib = default;
        var result = InflateInit(ref _zlib, GzipWindowBits);
        if (result != 0) throw new InvalidOperationException($"zlib could not start inflating (error {result}).");
        (_zlib.NextIn, _zlib.AvailIn) = (nextIn, availIn);
        _open = true;
        _memberEnded = false;
    }

    private void End()
    {
        if (!_open) return;
        InflateEnd(ref _zlib);
        _open = false;
    }

    private string? Message() => _zlib.Message == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(_zlib.Message);

    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        End();
        base.Dispose(disposing);
    }

    // zlib's state is native memory: freed even when a caller forgets to dispose.
    ~StrictGzipStream() => End();

    /// <summary>The runtime's PAL_ZStream (System.IO.Compression.Native), which it copies to and from zlib's z_stream on every call.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct ZStream
    {
        public IntPtr NextIn;
        public IntPtr NextOut;
        public IntPtr Message;
        public IntPtr InternalState;
        public uint AvailIn;
        public uint AvailOut;
    }

    // Without "lib" and ".so": the runtime's probing adds them on Linux and ".dll" on Windows.
    private const string Native = "System.IO.Compression.Native";

    [DllImport(Native, EntryPoint = "CompressionNative_InflateInit2_")]
    private static extern int InflateInit(ref ZStream stream, int windowBits);

    [DllImport(Native, EntryPoint = "CompressionNative_Inflate")]
    private static extern int Inflate(ref ZStream stream, int flush);

    [DllImport(Native, EntryPoint = "CompressionNative_InflateEnd")]
    private static extern int InflateEnd(ref ZStream stream);
}

/// <summary>
/// A gzip stream that ends before its last member does: the blob is cut short. An
/// <see cref="EndOfStreamException"/>, so a tar read that stops inside an entry reports that entry.
/// </summary>
internal sealed class GzipTruncatedException(long decompressed, long compressed)
    : EndOfStreamException($"the gzip stream ends after {compressed} compressed bytes, before its end ({decompressed} bytes decompressed)")
{
    /// <summary>The bytes the stream gave before it ended.</summary>
    public long Decompressed { get; } = decompressed;
}
