using System.IO.Compression;
using System.Security.Cryptography;
using Modulus.Layers;
using Modulus.Oci;
using Modulus.Tests.TestSupport;
using static Modulus.Tests.Layers.LayerTestKit;

namespace Modulus.Tests.Layers;

public class LayerMemoryTests
{
    private const long FileSize = 128L << 20;

    [Test]
    public void Writing_256_MB_allocates_a_small_fixed_amount_and_the_digests_check_out()
    {
        using var temp = new TempDirectory("layers");
        var blobPath = temp.Combine("layer.tar.gz");
        LayerEntry[] entries =
        [
            new FileEntry(P("/data/one.bin"), new GeneratedContent(FileSize, seed: 1)),
            new FileEntry(P("/data/two.bin"), new GeneratedContent(FileSize, seed: 2)),
        ];

        LayerDigests digests;
        long allocated;
        using (var output = System.IO.File.Create(blobPath))
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            digests = LayerWriter.Write(entries, output, Options);
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        allocated.ShouldBeLessThan(32L << 20, "memory must not grow with the layer");
        using (var blob = System.IO.File.OpenRead(blobPath))
            digests.Digest.ShouldBe(Digest.FromSha256Hash(SHA256.HashData(blob)));
        digests.Size.ShouldBe(new FileInfo(blobPath).Length);
        using var tar = new GZipStream(System.IO.File.OpenRead(blobPath), CompressionMode.Decompress);
        var counting = new CountingHash();
        tar.CopyTo(counting);
        digests.DiffId.ShouldBe(counting.Digest);
        digests.UncompressedSize.ShouldBe(counting.Count);
        counting.Count.ShouldBeGreaterThan(2 * FileSize);
    }

    /// <summary>Bytes made on the fly from a seed: mixed enough that gzip has work to do, and never held in memory.</summary>
    private sealed class GeneratedContent(long length, int seed) : FileContent
    {
        public override long Length => length;

        public override Stream OpenRead() => new GeneratedStream(length, seed);

        public override string Describe() => $"generated content {seed}";
    }

    private sealed class GeneratedStream(long length, int seed) : Stream
    {
        private long _position;
        private uint _state = (uint)seed * 2654435761u;

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            for (var i = 0; i < n; i++)
            {
                // A cheap generator whose low-entropy output keeps the test fast yet compressible.
                _state = _state * 1664525u + 1013904223u;
                buffer[offset + i] = (byte)('a' + ((_state >> 24) & 15));
            }
            _position += n;
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A sink that hashes what it is given, so the check holds no layer in memory either.</summary>
    private sealed class CountingHash : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public long Count { get; private set; }
        public Digest Digest => Digest.FromSha256Hash(_hash.GetCurrentHash());

        public override void Write(byte[] buffer, int offset, int count)
        {
            _hash.AppendData(buffer, offset, count);
            Count += count;
        }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => Count;
        public override long Position { get => Count; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
