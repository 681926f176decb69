using System.IO.Compression;
using Modulus.Diagnostics;
using Modulus.Layers.Gzip;
using Modulus.Layers.Tar;
using Modulus.Oci;

namespace Modulus.Layers;

/// <summary>
/// How layers are written. <see cref="Timestamp"/> is every entry's mtime, in whole seconds
/// (a fraction is dropped).
/// </summary>
public sealed record LayerWriterOptions(DateTimeOffset Timestamp)
{
    /// <summary>
    /// Gives the owner and mode of a parent directory the entries need but do not declare. A layer
    /// on a base image passes the base's directories here: the parent entries written into the
    /// layer would otherwise reset, say, a base's 0750 app:app folder to 0755 root:root. Null, or
    /// a null answer, means 0755 root:root.
    /// </summary>
    public Func<UnixPath, DirectoryEntry?>? ImpliedParent { get; init; }

    /// <summary>Told the size of each piece of file content as it is written, for progress lines; it has no effect on the bytes.</summary>
    public IProgress<long>? Progress { get; init; }

    /// <summary>How many threads deflate the layer (one per processor unless set); it has no effect on the bytes.</summary>
    public int CompressionThreads { get; init; } = ParallelGzipStream.DefaultThreads;

    /// <summary>The fixed epoch used when SOURCE_DATE_EPOCH is not set: 1970-01-01T00:00:00Z.</summary>
    public static readonly DateTimeOffset DefaultTimestamp = DateTimeOffset.UnixEpoch;

    public static LayerWriterOptions Default { get; } = new(DefaultTimestamp);
}

/// <summary>What writing a layer produced: blob digest and size (compressed) and diffID (uncompressed).</summary>
public sealed record LayerDigests(Digest Digest, Digest DiffId, long Size, long UncompressedSize);

/// <summary>
/// Writes a declared set of entries as a reproducible gzip tar layer: the same entries and
/// options give the same bytes on every machine, whatever their declaration order.
/// </summary>
public static class LayerWriter
{
    private const int CopyBufferSize = 1 << 16;

    /// <summary>
    /// Names the way this writer turns records into bytes (tar headers, padding, gzip framing).
    /// Raise it with any change that makes the same records and options give other bytes: the
    /// layer memo (<see cref="LayerKey"/>) keys on it, and a stale memo must then miss.
    /// </summary>
    internal const int FormatVersion = 2;

    /// <summary>
    /// Names the compressor (<see cref="ParallelGzipStream"/>: deflate in fixed blocks, each primed
    /// with the 32 KiB before it); <see cref="LayerKey"/> keys on it, so layers a single-stream
    /// deflate wrote (format 1) are never taken for this one's.
    /// </summary>
    internal static readonly string Compressor = $"parallel-deflate/{ParallelGzipStream.DefaultBlockSize}/primed";

    /// <summary>
    /// Level 6, gzip's default. The runtime's zlib-ng at this level took less than half the CPU
    /// time of `gzip -6` on a 110 MB tar of the .NET runtime, for a blob 3% larger; level 4 saves
    /// a quarter of the time for 1% more size, level 7 costs 30% more for 0.5% less. Changing
    /// these options changes every layer digest.
    /// </summary>
    internal static readonly ZLibCompressionOptions Compression = new()
    {
        CompressionLevel = 6,
        CompressionStrategy = ZLibCompressionStrategy.Default,
    };

    /// <summary>
    /// Writes the layer to <paramref name="output"/> in one streaming pass: tar bytes are hashed
    /// (diffID), compressed in blocks on <see cref="LayerWriterOptions.CompressionThreads"/>
    /// threads, and hashed and counted again (digest, size) on their way out, in order.
    /// Memory stays fixed whatever the size of the files. Declarations are checked before the
    /// first byte is written; only a source that changes size meanwhile fails mid-way (MOD2109),
    /// leaving <paramref name="output"/> partly written.
    /// </summary>
    public static LayerDigests Write(IEnumerable<LayerEntry> entries, Stream output, LayerWriterOptions options) =>
        Write(LayerContents.Of(entries, options.ImpliedParent), output, options);

    /// <summary>Writes contents already planned; <paramref name="options"/>' ImpliedParent has had its say in <see cref="LayerContents.Of"/>.</summary>
    public static LayerDigests Write(LayerContents contents, Stream output, LayerWriterOptions options)
    {
        var records = contents.Records;
        var mtime = options.Timestamp.ToUnixTimeSeconds();
        using var blob = new HashingStream(output);
        Digest diffId;
        long uncompressedSize;
        using (var gzip = new ParallelGzipStream(blob, Compression, options.CompressionThreads))
        using (var tar = new HashingStream(gzip))
        {
            var headers = new TarHeaderWriter(tar);
            var buffer = new byte[CopyBufferSize];
            foreach (var record in records)
            {
                var size = record.Content?.Length ?? 0;
                headers.Write(new TarHeader(record.TarName, record.Type, record.Mode, record.Uid, record.Gid, size, record.LinkName, mtime));
                if (record.Content is null) continue;
                CopyContent(record, tar, buffer, options.Progress);
                headers.WritePadding(size);
            }
            headers.WriteEnd();
            diffId = tar.Digest;
            uncompressedSize = tar.Count;
        }
        return new LayerDigests(blob.Digest, diffId, blob.Count, uncompressedSize);
    }

    /// <summary>
    /// Copies exactly the declared length: the header already promised it, so a source that grew
    /// or shrank since it was measured would corrupt the archive. Writes are always whole buffers
    /// (the last one shorter): deflate's output depends on how its input is cut, so a source
    /// that answers with short reads (a pipe, a network file system) must not change the bytes.
    /// </summary>
    private static void CopyContent(LayerRecord record, Stream tar, byte[] buffer, IProgress<long>? progress)
    {
        var content = record.Content!;
        using var source = content.OpenRead();
        long copied = 0;
        int read;
        while (copied < content.Length)
        {
            var wanted = (int)Math.Min(buffer.Length, content.Length - copied);
            if ((read = source.ReadAtLeast(buffer.AsSpan(0, wanted), wanted, throwOnEndOfStream: false)) == 0) break;
            tar.Write(buffer, 0, read);
            copied += read;
            // Per buffer, not per file: one large file is where a layer spends its time.
            progress?.Report(read);
        }
        if (copied == content.Length && source.Read(buffer, 0, 1) > 0) copied += 1 + Drain(source, buffer);
        if (copied != content.Length)
            throw new ModulusException(Errors.SourceFileChanged, content.Describe(), content.Length, copied);
    }

    /// <summary>Counts what is left of a source that turned out longer than declared, for the error.</summary>
    private static long Drain(Stream source, byte[] buffer)
    {
        long count = 0;
        int read;
        while ((read = source.Read(buffer)) > 0) count += read;
        return count;
    }
}
