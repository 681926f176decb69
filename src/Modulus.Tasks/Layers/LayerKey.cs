using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Modulus.Oci;

namespace Modulus.Layers;

/// <summary>
/// A digest of everything that decides the bytes <see cref="LayerWriter"/> writes for a layer: the
/// records in archive order (tar name, type, mode, owner, link name, and each regular file's
/// length and <see cref="FileContent.Identity"/>), the entries' timestamp, the compression (compressor,
/// level, strategy and the runtime that deflates) and the writer's format version. Two layers with the
/// same key are the same bytes, so a layer already written is found by its key instead of being
/// written again (Storage/LayerMemo).
/// </summary>
internal static class LayerKey
{
    /// <summary>Changes whenever what the key covers changes, so keys of another layout never collide.</summary>
    private const string Scheme = "modulus-layer-key/1";

    /// <summary>
    /// What decides the gzip bytes of a tar besides the tar itself: the writer's format and
    /// compressor, its level and strategy, and the runtime's deflate (zlib-ng, or a
    /// distribution's zlib), which another runtime may run to other bytes. Part of every key that
    /// stands for a compressed layer.
    /// </summary>
    public static string CompressionIdentity => string.Join('|',
        LayerWriter.FormatVersion, LayerWriter.Compressor, LayerWriter.Compression.CompressionLevel, (int)LayerWriter.Compression.CompressionStrategy,
        Environment.Version, RuntimeInformation.RuntimeIdentifier);

    public static Digest Of(LayerContents contents, LayerWriterOptions options)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var key = new BinaryWriter(new HashSink(hash), Encoding.UTF8);
        key.Write(Scheme);
        key.Write(LayerWriter.FormatVersion);
        key.Write(LayerWriter.Compressor);
        key.Write(LayerWriter.Compression.CompressionLevel);
        key.Write((int)LayerWriter.Compression.CompressionStrategy);
        // The deflate is the runtime's (zlib-ng, or a distribution's zlib): another runtime may
        // compress the same tar to other bytes, and a hit must be the bytes this one would write.
        key.Write(Environment.Version.ToString());
        key.Write(RuntimeInformation.RuntimeIdentifier);
        key.Write(options.Timestamp.ToUnixTimeSeconds());
        key.Write(contents.Records.Count);
        foreach (var record in contents.Records)
        {
            // Strings are length-prefixed by BinaryWriter, so no two record lists write the same stream.
            key.Write(record.TarName);
            key.Write(record.Type);
            key.Write(record.Mode);
            key.Write(record.Uid);
            key.Write(record.Gid);
            key.Write(record.LinkName);
            if (record.Content is null)
            {
                key.Write(false);
                continue;
            }
            key.Write(true);
            key.Write(record.Content.Length);
            // A byte hash ("sha256:...") and a carried identity ("npm ...") never read alike.
            key.Write(record.Content.Identity());
        }
        key.Flush();
        return Digest.FromSha256Hash(hash.GetHashAndReset());
    }

    /// <summary>Feeds what is written to a hash and keeps nothing.</summary>
    private sealed class HashSink(IncrementalHash hash) : WriteOnlyStream
    {
        public override void Write(ReadOnlySpan<byte> buffer) => hash.AppendData(buffer);

        public override void Flush() { }
    }
}
