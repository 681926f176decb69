using Modulus.Images;
using Modulus.Oci;

namespace Modulus.Sinks;

/// <summary>Writes an image as an OCI image layout directory, atomically.</summary>
public static class OciLayoutWriter
{
    /// <summary>
    /// Writes <paramref name="image"/> into <paramref name="directory"/>, replacing the layout that
    /// was there (a failure leaves it as it was). Each tag becomes an index entry annotated with
    /// org.opencontainers.image.ref.name; a tag written "repository:tag" names the tag part there and
    /// the full name in io.containerd.image.name. With no tags, index.json lists the manifest bare.
    /// </summary>
    public static void Write(Image image, string directory, IReadOnlyList<TaggedName> tags)
    {
        var index = LayoutContent.IndexFile(image, tags);
        AtomicOutput.ReplaceDirectory(directory, IsLayout, temp =>
        {
            File.WriteAllBytes(Path.Combine(temp, "oci-layout"), LayoutContent.OciLayoutFile);
            foreach (var blob in LayoutContent.Blobs(image))
            {
                var target = Path.Combine(temp, blob.RelativePath);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                using var source = blob.Open();
                using var file = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
                source.CopyTo(file);
            }
            // index.json last: a reader that sees it can rely on every blob it names.
            File.WriteAllBytes(Path.Combine(temp, "index.json"), index);
        });
    }

    /// <summary>Refuses (MOD2212) a <paramref name="directory"/> that holds something other than an OCI layout, which a write would replace.</summary>
    public static void EnsureReplaceable(string directory) => AtomicOutput.EnsureReplaceable(directory, IsLayout);

    private static bool IsLayout(string directory) => File.Exists(Path.Combine(directory, "oci-layout"));
}
