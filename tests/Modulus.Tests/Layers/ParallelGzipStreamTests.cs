using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Modulus.Layers;
using Modulus.Layers.Gzip;
using Modulus.Oci;
using Modulus.Tests.TestSupport;
using static Modulus.Tests.Layers.LayerTestKit;

namespace Modulus.Tests.Layers;

public class ParallelGzipStreamTests
{
    private const int Block = ParallelGzipStream.DefaultBlockSize;

    private static readonly ZLibCompressionOptions Level6 = LayerWriter.Compression;

    /// <summary>Compresses <paramref name="input"/> on <paramref name="threads"/> threads, written in pieces of <paramref name="piece"/> bytes.</summary>
    private static byte[] Compress(byte[] input, int threads, int piece, bool primed = true)
    {
        var output = new MemoryStream();
        using (var gzip = new ParallelGzipStream(output, Level6, threads, Block, primed))
            for (var at = 0; at < input.Length; at += piece)
                gzip.Write(input, at, Math.Min(piece, input.Length - at));
        return output.ToArray();
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(Block)]
    [TestCase(Block + 1)]
    [TestCase(9 * Block + 12345)]
    public void The_same_bytes_on_1_2_4_and_16_threads_whatever_the_writes_and_gzip_reads_them_back(int length)
    {
        var input = GzipTestData.Mixed(length, seed: length);

        var one = Compress(input, threads: 1, piece: Math.Max(1, length));
        var two = Compress(input, threads: 2, piece: 1000);
        var four = Compress(input, threads: 4, piece: 65537);
        var sixteen = Compress(input, threads: 16, piece: 4096);

        two.ShouldBe(one);
        four.ShouldBe(one);
        sixteen.ShouldBe(one);
        one[..10].ShouldBe(new byte[] { 0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff }, "a fixed header: no name, no time, OS unknown");
        BitConverter.ToUInt32(one, one.Length - 8).ShouldBe(Crc32.Managed(0, input));
        BitConverter.ToUInt32(one, one.Length - 4).ShouldBe((uint)length);
        Gunzip(one).ShouldBe(input, "the runtime's GZipStream reads it");
        using (var strict = StrictGzipStream.Open(new MemoryStream(one)))
        {
            var back = new MemoryStream();
            strict.CopyTo(back);
            back.ToArray().ShouldBe(input, "one member, whole, nothing after it");
        }
        GzipTestData.CheckWithGzip(one, Digest.FromSha256Hash(SHA256.HashData(input)));
    }

    [Test]
    public void A_block_refers_back_into_the_one_before_it()
    {
        // 20 KiB of noise said again and again: only a block that may look back into the previous
        // one's last 32 KiB can encode its first repetition as a match.
        var noise = new byte[20 << 10];
        new Random(7).NextBytes(noise);
        var input = Enumerable.Repeat(noise, 40).SelectMany(b => b).ToArray();

        var primed = Compress(input, threads: 2, piece: input.Length);
        var independent = Compress(input, threads: 2, piece: input.Length, primed: false);

        Gunzip(primed).ShouldBe(input);
        Gunzip(independent).ShouldBe(input);
        independent.Length.ShouldBeGreaterThan(3 * noise.Length, "each of the 4 independent blocks spells the noise out once");
        primed.Length.ShouldBeLessThan(2 * noise.Length, "the noise is spelled out once in all, not once a block");
    }

    [Test]
    public void The_runtime_crc_and_the_table_agree()
    {
        var input = GzipTestData.Mixed(100_003, seed: 3);
        Crc32.Append(0, input).ShouldBe(Crc32.Managed(0, input));
        // Else the line above compares the table with itself.
        Crc32.UsesRuntimeZlib.ShouldBeTrue("the runtime's zlib export was found on this platform");
        Crc32.Append(Crc32.Append(0, input.AsSpan(0, 777)), input.AsSpan(777)).ShouldBe(Crc32.Managed(0, input));
        Crc32.Append(0, Encoding.ASCII.GetBytes("123456789")).ShouldBe(0xCBF43926u, "the CRC-32 check value");
    }

    [Test]
    public void A_layer_is_the_same_bytes_on_1_and_4_threads()
    {
        LayerEntry[] entries =
        [
            new FileEntry(P("/data/big.bin"), FileContent.FromBytes(GzipTestData.Mixed(3 * Block + 100, seed: 11))),
            File("/etc/hostname", "modulus\n"),
        ];

        var one = Write(entries, Options with { CompressionThreads = 1 });
        var four = Write(entries, Options with { CompressionThreads = 4 });

        four.Blob.ShouldBe(one.Blob);
        four.Digests.ShouldBe(one.Digests);
        one.Digests.DiffId.ShouldBe(Digest.FromSha256Hash(SHA256.HashData(one.Tar)));
        GzipTestData.CheckWithGzip(one.Blob, one.Digests.DiffId);
    }
}

/// <summary>Inputs that deflate has work to do on, and gzip's own check of what we wrote.</summary>
internal static class GzipTestData
{
    private static readonly string[] Words = ["layer", "image", "deflate", "block", "window", "modulus", "tar", "gzip", "\n", "0123456789", "    "];

    /// <summary>Words, numbers and bits of noise: matches near and far, and literals.</summary>
    public static byte[] Mixed(int length, int seed)
    {
        var random = new Random(seed);
        var bytes = new byte[length];
        var at = 0;
        while (at < length)
        {
            if (random.Next(8) == 0)
            {
                var noise = bytes.AsSpan(at, Math.Min(length - at, random.Next(1, 64)));
                random.NextBytes(noise);
                at += noise.Length;
                continue;
            }
            var word = Encoding.ASCII.GetBytes(Words[random.Next(Words.Length)] + random.Next(1000));
            var taken = Math.Min(word.Length, length - at);
            word.AsSpan(0, taken).CopyTo(bytes.AsSpan(at));
            at += taken;
        }
        return bytes;
    }

    /// <summary>gzip itself finds <paramref name="blob"/> whole (gunzip -t) and decompresses it to <paramref name="content"/>.</summary>
    public static void CheckWithGzip(byte[] blob, Digest content)
    {
        using var temp = new TempDirectory("gzip");
        var path = temp.Combine("blob.gz");
        System.IO.File.WriteAllBytes(path, blob);
        Tools.RunChecked(Tools.Require("gunzip"), ["-t", path]);
        var sum = Tools.RunChecked(Tools.Require("bash"), ["-c", "set -o pipefail; gzip -dc \"$0\" | sha256sum", path]).StdOut;
        ("sha256:" + sum.Split(' ')[0]).ShouldBe(content.ToString());
    }
}
