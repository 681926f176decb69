using System.Formats.Tar;
using System.IO.Compression;
using Modulus.Images;
using Modulus.Oci;
using Modulus.Storage;

namespace Modulus.Tests.Registry;

/// <summary>Small images for registry tests: gzip tar layers made here and imported into a store.</summary>
public static class TestImages
{
    public static readonly DateTimeOffset Created = new(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);

    /// <summary>A layer with one file per (path, content) pair; <paramref name="padding"/> random bytes make it large.</summary>
    public static BlobLayer Layer(BlobStore store, IReadOnlyDictionary<string, string> files, int padding = 0)
    {
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (path, content) in files)
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, path)
                {
                    DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)),
                    ModificationTime = Created,
                };
                writer.WriteEntry(entry);
            }
            if (padding > 0)
            {
                var noise = new byte[padding];
                Random.Shared.NextBytes(noise);
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "noise.bin") { DataStream = new MemoryStream(noise), ModificationTime = Created });
            }
        }
        var tarBytes = tar.ToArray();
        var gzip = new MemoryStream();
        using (var compressor = new GZipStream(gzip, CompressionLevel.Fastest, leaveOpen: true)) compressor.Write(tarBytes);
        var blob = gzip.ToArray();
        var digest = Digest.Compute(blob);
        var blobPath = store.Import(new MemoryStream(blob), digest, "test layer");
        return new BlobLayer(blobPath, MediaTypes.OciLayerGzip, digest, Digest.Compute(tarBytes), blob.Length);
    }

    /// <summary>An image of <paramref name="layerCount"/> small layers whose content is unique to <paramref name="seed"/>.</summary>
    public static Image Unique(BlobStore store, string seed, int layerCount = 2, Platform? platform = null, int padding = 0)
    {
        var layers = Enumerable.Range(0, layerCount)
            .Select(i => new AppendedLayer(Layer(store, new Dictionary<string, string> { [$"app/{seed}-{i}.txt"] = $"{seed} layer {i} {Guid.NewGuid()}" }, i == 0 ? padding : 0), $"test layer {i}"))
            .ToArray();
        return ImageBuilder.Build(Image.Scratch(platform ?? Platform.LinuxAmd64), layers, new ConfigChanges { Cmd = ["/app/run"] }, Created);
    }

    /// <summary>The digests of an image's config and layers, in order.</summary>
    public static IReadOnlyList<Digest> BlobDigests(Image image) => [image.ConfigDigest, .. image.Layers.Select(l => l.Digest)];
}
