using Modulus.Images;
using Modulus.Layers;
using Modulus.Oci;
using Modulus.Storage;

namespace Modulus.Tests.Registry;

/// <summary>Small images for registry tests, their layers written by the layer writer into a store.</summary>
public static class TestImages
{
    public static readonly DateTimeOffset Created = new(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);

    /// <summary>
    /// An image of <paramref name="layerCount"/> small layers whose content is unique to this call;
    /// <paramref name="padding"/> random (incompressible) bytes in the first layer make it large.
    /// </summary>
    public static Image Unique(BlobStore store, string seed, int layerCount = 2, Platform? platform = null, int padding = 0)
    {
        var layers = Enumerable.Range(0, layerCount)
            .Select(i => new AppendedLayer(Layer(store, seed, i, i == 0 ? padding : 0), $"test layer {i}"))
            .ToArray();
        return ImageBuilder.Build(Image.Scratch(platform ?? Platform.LinuxAmd64), layers, new ConfigChanges { Cmd = ["/app/run"] }, Created);
    }

    /// <summary>The digests of an image's config and layers, in push order.</summary>
    public static IReadOnlyList<Digest> BlobDigests(Image image) => [image.ConfigDigest, .. image.Layers.Select(l => l.Digest)];

    private static BlobLayer Layer(BlobStore store, string seed, int index, int padding)
    {
        var entries = new List<LayerEntry>
        {
            new FileEntry(UnixPath.Parse($"/app/{seed}-{index}.txt"), FileContent.FromText($"{seed} layer {index} {Guid.NewGuid()}")),
        };
        if (padding > 0)
        {
            var noise = new byte[padding];
            Random.Shared.NextBytes(noise);
            entries.Add(new FileEntry(UnixPath.Parse("/app/noise.bin"), FileContent.FromBytes(noise)));
        }
        return store.WriteLayer(entries, LayerWriterOptions.Default);
    }
}
