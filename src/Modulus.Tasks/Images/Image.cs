using Modulus.Oci;

namespace Modulus.Images;

/// <summary>
/// An image: its config, its layers (base first) and the manifest that ties them together. The
/// manifest and config bytes are computed once, when the image is made, so digests are stable
/// however often they are asked for.
/// </summary>
public sealed class Image
{
    public Image(ImageConfig config, IReadOnlyList<ILayer> layers, string manifestMediaType = MediaTypes.OciManifest)
    {
        Config = config;
        Layers = layers;
        ConfigBytes = config.ToBytes();
        ConfigDigest = Digest.Compute(ConfigBytes);
        var isDocker = manifestMediaType == MediaTypes.DockerManifest;
        Manifest = new ImageManifest(
            manifestMediaType,
            new Descriptor(isDocker ? MediaTypes.DockerConfig : MediaTypes.OciConfig, ConfigDigest, ConfigBytes.Length),
            layers.Select(l => new Descriptor(LayerMediaType(l.MediaType, isDocker), l.Digest, l.Size)).ToArray());
        ManifestBytes = OciJson.Serialize(Manifest);
        ManifestDigest = Digest.Compute(ManifestBytes);
    }

    public ImageConfig Config { get; }

    public byte[] ConfigBytes { get; }

    public Digest ConfigDigest { get; }

    public IReadOnlyList<ILayer> Layers { get; }

    public ImageManifest Manifest { get; }

    public byte[] ManifestBytes { get; }

    public Digest ManifestDigest { get; }

    public Platform Platform => Config.Platform;

    /// <summary>Compressed size of all layers plus config and manifest: what a registry stores.</summary>
    public long Size => Layers.Sum(l => l.Size) + ConfigBytes.Length + ManifestBytes.Length;

    /// <summary>
    /// Layer media types follow the manifest's family: the bytes are the same, but an OCI manifest
    /// naming Docker layer types (or the reverse) is refused by strict readers.
    /// </summary>
    private static string LayerMediaType(string mediaType, bool docker) => (mediaType, docker) switch
    {
        (MediaTypes.DockerLayerGzip, false) => MediaTypes.OciLayerGzip,
        (MediaTypes.DockerForeignLayerGzip, false) => MediaTypes.OciNondistributableLayerGzip,
        (MediaTypes.OciLayerGzip, true) => MediaTypes.DockerLayerGzip,
        _ => mediaType,
    };

    public static Image Scratch(Platform platform) => new(ImageConfig.Empty(platform), []);
}
