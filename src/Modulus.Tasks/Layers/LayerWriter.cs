using Modulus.Oci;

namespace Modulus.Layers;

/// <summary>How layers are written. <see cref="Timestamp"/> is every entry's mtime.</summary>
public sealed record LayerWriterOptions(DateTimeOffset Timestamp)
{
    /// <summary>The fixed epoch used when SOURCE_DATE_EPOCH is not set: 1970-01-01T00:00:00Z.</summary>
    public static readonly DateTimeOffset DefaultTimestamp = DateTimeOffset.UnixEpoch;

    public static LayerWriterOptions Default { get; } = new(DefaultTimestamp);
}

/// <summary>What writing a layer produced: blob digest and size (compressed) and diffID (uncompressed).</summary>
public sealed record LayerDigests(Digest Digest, Digest DiffId, long Size, long UncompressedSize);

/// <summary>Writes a declared set of entries as a reproducible gzip tar layer.</summary>
public static class LayerWriter
{
    public static LayerDigests Write(IEnumerable<LayerEntry> entries, Stream output, LayerWriterOptions options) =>
        throw new NotImplementedException();
}
