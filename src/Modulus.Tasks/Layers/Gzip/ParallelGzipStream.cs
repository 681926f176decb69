using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO.Compression;

namespace Modulus.Layers.Gzip;

/// <summary>
/// Compresses what is written to it into one gzip member, deflating fixed-size blocks of the input
/// on several threads at once (as pigz does). Where the input is cut depends on its length alone,
/// and each block is deflated from its own bytes and the 32 KiB before them, so the output is the
/// same bytes whatever the number of threads or the way writes are cut. The header is fixed (no
/// name, no time, OS unknown); the trailer is the CRC-32 and length of all the input. Memory is
/// bounded: at most four blocks in flight per thread. Disposing finishes the
/// member; never closes the output.
/// </summary>
internal sealed class ParallelGzipStream : WriteOnlyStream
{
    /// <summary>
    /// 256 KiB. On the layers of images/base and images/node, blocks of 256 KiB each primed with
    /// the 32 KiB before them come out the size of one deflate stream over the whole layer (0.01
    /// to 0.06% smaller) for about 10% more deflate time (the window deflated again); 128 KiB
    /// costs 22%. Blocks deflated independently cost no time but 1% more size at 256 KiB, 2% at
    /// 128 KiB (docs/images.md).
    /// </summary>
    public const int DefaultBlockSize = 256 << 10;

    /// <summary>
    /// Magic, deflate, no flags, MTIME 0 (unknown), XFL 0, OS 255 (unknown): nothing of the
    /// machine or the moment that compressed it.
    /// </summary>
    private static readonly byte[] Header = [0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff];

    private readonly Stream _output;
    private readonly ZLibCompressionOptions _options;
    private readonly int _threads;
    private readonly int _blockSize;
    private readonly bool _primed;
    private readonly Queue<DeflateBlock> _inFlight = new();
    private readonly Stack<DeflateBlock> _spare = new();
    private readonly List<DeflateBlock> _all = [];
    private BlockingCollection<DeflateBlock>? _work;
    private Thread[]? _workers;
    private DeflateBlock _current;
    private uint _crc;
    private long _length;
    private bool _finished;
    private bool _faulted;

    /// <param name="output">Where the gzip member goes, block by block in order.</param>
    /// <param name="options">The deflate's level and strategy.</param>
    /// <param name="threads">How many threads deflate; 1 deflates on the writing thread. It never changes the bytes.</param>
    /// <param name="blockSize">Where the input is cut: this changes the bytes.</param>
    /// <param name="primed">Whether each block may refer back to the previous one's last 32 KiB: this changes the bytes.</param>
    public ParallelGzipStream(Stream output, ZLibCompressionOptions options, int threads, int blockSize = DefaultBlockSize, bool primed = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, DeflateBlock.WindowSize);
        _output = output;
        _options = options;
        _threads = threads;
        _blockSize = blockSize;
        _primed = primed;
        _current = Rent(previous: null);
        _output.Write(Header);
    }

    /// <summary>
    /// The threads a layer is deflated on by default: one per processor, at most 16, which keeps
    /// the blocks in flight (about 2.3 MB a thread) under 40 MB.
    /// </summary>
    public static int DefaultThreads => Math.Clamp(Environment.ProcessorCount, 1, 16);

    /// <summary>
    /// Blocks in flight per thread. Four rather than two: on a busy machine a thread woken to write
    /// or to deflate waits its turn for a core, and meanwhile the others still have blocks to
    /// deflate and to write (row 1 of bench/README.md was 10 to 50% faster with four).
    /// </summary>
    private const int BlocksPerThread = 4;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        while (!buffer.IsEmpty)
        {
            var room = _current.Room;
            var taken = Math.Min(room.Length, buffer.Length);
            buffer[..taken].CopyTo(room);
            _current.DataLength += taken;
            buffer = buffer[taken..];
            if (_current.Room.IsEmpty) Submit();
        }
    }

    /// <summary>Compressed output cannot be flushed before its block is full without changing the bytes: this writes only what is done.</summary>
    public override void Flush()
    {
        WriteDone(wait: false);
        _output.Flush();
    }

    private void Submit()
    {
        var block = _current;
        _crc = Crc32.Append(_crc, block.Data);
        _length += block.DataLength;
        if (!block.Last) _current = Rent(block);
        // One thread, or a stream that ends within its first block (most layers are small): no
        // thread is started for it.
        if (_threads == 1 || (block.Last && _workers is null))
        {
            block.Compress(_options);
            _inFlight.Enqueue(block);
            WriteDone(wait: true);
            return;
        }
        StartWorkers();
        _inFlight.Enqueue(block);
        _work!.Add(block);
        WriteDone(wait: false);
        while (_inFlight.Count >= BlocksPerThread * _threads) WriteNext();
    }

    /// <summary>Writes the blocks at the head of the line that are compressed; with <paramref name="wait"/>, all of them.</summary>
    private void WriteDone(bool wait)
    {
        while (_inFlight.Count > 0 && (wait || _inFlight.Peek().IsDone)) WriteNext();
    }

    private void WriteNext()
    {
        var block = _inFlight.Peek();
        BlockOutput compressed;
        try
        {
            compressed = block.Wait();
        }
        catch
        {
            _faulted = true;
            throw;
        }
        _inFlight.Dequeue();
        _output.Write(compressed.Bytes);
        _spare.Push(block);
    }

    private DeflateBlock Rent(DeflateBlock? previous)
    {
        if (!_spare.TryPop(out var block))
        {
            block = new DeflateBlock(_blockSize);
            _all.Add(block);
        }
        block.Follow(previous, _primed);
        return block;
    }

    private void StartWorkers()
    {
        if (_workers is not null) return;
        _work = new BlockingCollection<DeflateBlock>();
        _workers = new Thread[_threads];
        for (var i = 0; i < _threads; i++)
        {
            _workers[i] = new Thread(Work) { IsBackground = true, Name = "layer deflate" };
            _workers[i].Start();
        }
    }

    private void Work()
    {
        foreach (var block in _work!.GetConsumingEnumerable()) block.Compress(_options);
    }

    /// <summary>Compresses the last block, writes every block in order, then the trailer.</summary>
    private void Finish()
    {
        _current.MarkLast();
        Submit();
        WriteDone(wait: true);
        Span<byte> trailer = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, _crc);
        BinaryPrimitives.WriteUInt32LittleEndian(trailer[4..], unchecked((uint)_length));
        _output.Write(trailer);
    }

    protected override void Dispose(bool disposing)
    {
        if (!disposing || _finished)
        {
            base.Dispose(disposing);
            return;
        }
        try
        {
            if (!_faulted) Finish();
        }
        finally
        {
            _finished = true;
            _work?.CompleteAdding();
            foreach (var worker in _workers ?? []) worker.Join();
            _work?.Dispose();
            foreach (var block in _all) block.Release();
            base.Dispose(disposing);
        }
    }
}
