using System.IO.Compression;

namespace Modulus.Layers.Gzip;

/// <summary>
/// One block of a <see cref="ParallelGzipStream"/>: its input, the input's last 32 KiB before it
/// (the window a decompressor already holds when it reaches this block), and, once compressed,
/// the raw deflate that encodes it. Blocks compress independently of one another and of the
/// thread that does it, so their joined output depends on the input alone.
/// </summary>
internal sealed class DeflateBlock
{
    /// <summary>Deflate looks back at most this far: all of the earlier input a block can use.</summary>
    public const int WindowSize = 32 << 10;

    /// <summary>The end of a deflate stream when the last block had no data: a final, empty block of fixed codes.</summary>
    private static readonly byte[] EmptyFinalBlock = [0x03, 0x00];

    private readonly ManualResetEventSlim _done = new();

    public DeflateBlock(int blockSize) => Buffer = new byte[WindowSize + blockSize];

    /// <summary>The window (up to <see cref="WindowSize"/> bytes ending at <see cref="WindowSize"/>), then the data.</summary>
    public byte[] Buffer { get; }

    public int WindowLength { get; private set; }

    public int DataLength { get; set; }

    public bool Last { get; private set; }

    public Span<byte> Data => Buffer.AsSpan(WindowSize, DataLength);

    /// <summary>The free room after the data.</summary>
    public Span<byte> Room => Buffer.AsSpan(WindowSize + DataLength);

    public BlockOutput? Output { get; private set; }

    private Exception? _error;

    /// <summary>Makes this block the one after <paramref name="previous"/> (null: the first), empty.</summary>
    public void Follow(DeflateBlock? previous, bool primed)
    {
        _done.Reset();
        _error = null;
        Last = false;
        DataLength = 0;
        WindowLength = 0;
        if (previous is null || !primed) return;
        // The window is the last 32 KiB of the input so far: of the previous block's data, and of
        // the window before it when that data was shorter.
        Span<byte> tail = previous.Buffer.AsSpan(0, WindowSize + previous.DataLength)[^Math.Min(WindowSize, previous.WindowLength + previous.DataLength)..];
        tail.CopyTo(Buffer.AsSpan(WindowSize - tail.Length));
        WindowLength = tail.Length;
    }

    public void MarkLast() => Last = true;

    /// <summary>
    /// Deflates the data. A block that is not the last ends with a sync flush (an empty stored
    /// block), which byte-aligns it so the next block's deflate can follow it directly; the last
    /// ends the deflate stream. The window is first deflated and its output dropped: the runtime's
    /// deflate has no way to be given a dictionary, and this leaves it holding the same history
    /// the decompressor will hold, so matches may reach back into the previous block.
    /// </summary>
    public void Compress(ZLibCompressionOptions options)
    {
        try
        {
            var output = Output ??= new BlockOutput(Buffer.Length - WindowSize);
            output.Clear();
            int kept;
            using (var deflate = new DeflateStream(output, options, leaveOpen: true))
            {
                if (WindowLength > 0)
                {
                    deflate.Write(Buffer, WindowSize - WindowLength, WindowLength);
                    deflate.Flush();
                    output.Clear();
                }
                deflate.Write(Buffer, WindowSize, DataLength);
                if (!Last) deflate.Flush();
                kept = output.Written;
            }
            // Closing a stream that is not the last would end the deflate stream: that end is cut off.
            if (!Last) output.Truncate(kept);
            else if (output.Written == 0) output.Write(EmptyFinalBlock);
        }
        catch (Exception e)
        {
            _error = e;
        }
        finally
        {
            _done.Set();
        }
    }

    public bool IsDone => _done.IsSet;

    /// <summary>Waits for <see cref="Compress"/> and rethrows what it threw.</summary>
    public BlockOutput Wait()
    {
        _done.Wait();
        if (_error is not null) throw new InvalidOperationException("deflating a layer block failed", _error);
        return Output!;
    }

    public void Release() => _done.Dispose();
}

/// <summary>
/// A block's compressed bytes, kept with the block and used again by the blocks that reuse it. Room
/// for deflate's worst case (stored blocks: a few bytes per 16 KiB more than the input) from the
/// start; it grows only if that ever falls short.
/// </summary>
internal sealed class BlockOutput(int blockSize) : WriteOnlyStream
{
    private byte[] _bytes = new byte[blockSize + (blockSize >> 6) + 1024];

    public int Written { get; private set; }

    public ReadOnlySpan<byte> Bytes => _bytes.AsSpan(0, Written);

    public void Clear() => Written = 0;

    public void Truncate(int length) => Written = length;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (Written + buffer.Length > _bytes.Length) Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, Written + buffer.Length));
        buffer.CopyTo(_bytes.AsSpan(Written));
        Written += buffer.Length;
    }

    public override void Flush() { }
}
