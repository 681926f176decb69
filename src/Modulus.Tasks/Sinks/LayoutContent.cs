using Modulus.Images;
using Modulus.Oci;

namespace Modulus.Sinks;

/// <summary>A blob to write: where it goes in a layout, its size, and how to read it.</summary>
internal sealed record LayoutBlob(string RelativePath, long Size, Func<Stream> Open);

/// <summary>
/// What an OCI image layout holding one image consists of; shared by the layout directory and the
/// docker-loadable tar, which carries the same layout.
/// </summary>
internal static class LayoutContent
{
    public static readonly byte[] OciLayoutFile = "{\"imageLayoutVersion\":\"1.0.0\"}"u8.ToArray();

    /// <summary>
    /// index.json with one entry per tag. A tag written "repository:tag" also gets the full name in
    /// io.containerd.image.name, as docker save writes it; a bare tag gets only the ref name.
    /// </summary>
    public static byte[] IndexFile(Image image, IReadOnlyList<TaggedName> tags)
    {
        var manifest = new Descriptor(image.Manifest.MediaType, image.ManifestDigest, image.ManifestBytes.Length);
        var entries = tags.Count == 0
            ? [manifest]
            : tags.Select(t => manifest with { Annotations = Annotations(t) }).ToArray();
        return OciJson.Serialize(new ImageIndex(MediaTypes.OciIndex, entries));
    }

    /// <summary>
    /// index.json of a multi-platform image: the index under each tag (as for one image), and each
    /// platform's image under TAG-PLATFORM (1.0-linux-arm64) with its platform, for tools that
    /// read one image by name and cannot choose from an index (umoci). With no tags, the index alone.
    /// </summary>
    public static byte[] IndexFile(PlatformIndex index, IReadOnlyList<TaggedName> tags)
    {
        if (tags.Count == 0) return OciJson.Serialize(new ImageIndex(MediaTypes.OciIndex, [index.Descriptor]));
        var entries = new List<Descriptor>();
        entries.AddRange(tags.Select(t => index.Descriptor with { Annotations = Annotations(t) }));
        foreach (var tag in tags)
        {
            foreach (var (image, descriptor) in index.Images.Zip(index.Index.Manifests))
                entries.Add(descriptor with { Annotations = Annotations(tag with { Tag = ImageTag.Parse($"{tag.Tag.Value}-{PlatformIndex.FileNamePart(image.Platform)}") }) });
        }
        return OciJson.Serialize(new ImageIndex(MediaTypes.OciIndex, entries));
    }

    /// <summary>Every blob of the image, each once, sorted by path so output is reproducible.</summary>
    public static IReadOnlyList<LayoutBlob> Blobs(Image image) => Blobs([image], []);

    /// <summary>Every blob of every platform's image and the index, each once, sorted by path.</summary>
    public static IReadOnlyList<LayoutBlob> Blobs(PlatformIndex index) =>
        Blobs(index.Images, [Bytes(index.IndexDigest, index.IndexBytes)]);

    private static IReadOnlyList<LayoutBlob> Blobs(IReadOnlyList<Image> images, IReadOnlyList<LayoutBlob> extra)
    {
        var blobs = new Dictionary<string, LayoutBlob>();
        foreach (var blob in extra) blobs.TryAdd(blob.RelativePath, blob);
        foreach (var image in images)
        {
            blobs.TryAdd(PathOf(image.ConfigDigest), Bytes(image.ConfigDigest, image.ConfigBytes));
            blobs.TryAdd(PathOf(image.ManifestDigest), Bytes(image.ManifestDigest, image.ManifestBytes));
            foreach (var layer in image.Layers) blobs.TryAdd(PathOf(layer.Digest), new LayoutBlob(PathOf(layer.Digest), layer.Size, layer.OpenBlob));
        }
        return blobs.Values.OrderBy(b => b.RelativePath, StringComparer.Ordinal).ToArray();
    }

    public static string PathOf(Digest digest) => $"blobs/{digest.Algorithm}/{digest.Encoded}";

    private static LayoutBlob Bytes(Digest digest, byte[] bytes) => new(PathOf(digest), bytes.Length, () => new MemoryStream(bytes, writable: false));

    private static Dictionary<string, string> Annotations(TaggedName tag)
    {
        var annotations = new Dictionary<string, string> { [ImageIndex.RefNameAnnotation] = tag.Tag.Value };
        if (tag.Name is not null) annotations[ImageIndex.ImageNameAnnotation] = tag.ToString();
        return annotations;
    }
}
