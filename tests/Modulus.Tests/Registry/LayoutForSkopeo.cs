using Modulus.Images;
using Modulus.Oci;

namespace Modulus.Tests.Registry;

/// <summary>
/// Writes images as a minimal OCI image layout for skopeo to copy from, independently of
/// Modulus's own layout writer. With several images, they sit behind one image index.
/// </summary>
public static class LayoutForSkopeo
{
    public static void Write(string directory, string tag, params Image[] images)
    {
        Directory.CreateDirectory(Path.Combine(directory, "blobs", "sha256"));
        File.WriteAllText(Path.Combine(directory, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        foreach (var image in images)
        {
            Blob(directory, image.ConfigBytes);
            Blob(directory, image.ManifestBytes);
            foreach (var layer in image.Layers)
            {
                using var source = layer.OpenBlob();
                using var target = File.Create(Path.Combine(directory, "blobs", "sha256", layer.Digest.Encoded));
                source.CopyTo(target);
            }
        }
        Descriptor top;
        if (images.Length == 1)
        {
            top = new Descriptor(MediaTypes.OciManifest, images[0].ManifestDigest, images[0].ManifestBytes.Length);
        }
        else
        {
            var index = new ImageIndex(MediaTypes.OciIndex, images
                .Select(i => new Descriptor(MediaTypes.OciManifest, i.ManifestDigest, i.ManifestBytes.Length) { Platform = i.Platform })
                .ToArray());
            var bytes = OciJson.Serialize(index);
            Blob(directory, bytes);
            top = new Descriptor(MediaTypes.OciIndex, Digest.Compute(bytes), bytes.Length);
        }
        var outer = new ImageIndex(null, [top with { Annotations = new Dictionary<string, string> { [ImageIndex.RefNameAnnotation] = tag } }]);
        File.WriteAllBytes(Path.Combine(directory, "index.json"), OciJson.Serialize(outer));
    }

    private static void Blob(string directory, byte[] bytes) =>
        File.WriteAllBytes(Path.Combine(directory, "blobs", "sha256", Digest.Compute(bytes).Encoded), bytes);
}
