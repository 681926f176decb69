using Modulus.Oci;

namespace Modulus.Images;

/// <summary>
/// A multi-platform image: one image per platform and the OCI image index over them. The index
/// lists the images in the order the platforms were asked for, each with the platform its config
/// states (what a puller matches against), and nothing else: no annotations, no timestamps, so the
/// same images always give the same index digest.
/// </summary>
public sealed class PlatformIndex
{
    public PlatformIndex(IReadOnlyList<Image> images)
    {
        if (images.Count == 0) throw new ArgumentException("An index needs at least one image.", nameof(images));
        Images = images;
        Index = new ImageIndex(MediaTypes.OciIndex,
            images.Select(i => new Descriptor(i.Manifest.MediaType, i.ManifestDigest, i.ManifestBytes.Length) { Platform = i.Platform }).ToArray());
        IndexBytes = OciJson.Serialize(Index);
        IndexDigest = Digest.Compute(IndexBytes);
    }

    public IReadOnlyList<Image> Images { get; }

    public ImageIndex Index { get; }

    public byte[] IndexBytes { get; }

    public Digest IndexDigest { get; }

    /// <summary>The index's descriptor, as a layout's index.json or a registry refers to it.</summary>
    public Descriptor Descriptor => new(MediaTypes.OciIndex, IndexDigest, IndexBytes.Length);

    /// <summary>Every image's blobs plus the index: what a registry stores.</summary>
    public long Size => Images.SelectMany(i => i.Layers).DistinctBy(l => l.Digest).Sum(l => l.Size)
        + Images.Sum(i => i.ConfigBytes.Length + i.ManifestBytes.Length) + IndexBytes.Length;

    /// <summary>
    /// The name a platform goes by in file names: os-architecture, with the variant only where it
    /// tells images apart (arm v6/v7; arm64 is v8 alone): image-linux-arm64.tar, image-linux-arm-v7.tar.
    /// </summary>
    public static string FileNamePart(Platform platform) =>
        platform.Variant is null || platform.Architecture == "arm64"
            ? $"{platform.Os}-{platform.Architecture}"
            : $"{platform.Os}-{platform.Architecture}-{platform.Variant}";
}
