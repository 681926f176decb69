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
    public static void Write(Image image, string directory, IReadOnlyList<TaggedName> tags) =>
        Write(LayoutContent.IndexFile(image, tags), LayoutContent.Blobs(image), directory);

    /// <summary>
    /// Writes a multi-platform image into <paramref name="directory"/> as <see cref="Write(Image, string, IReadOnlyList{TaggedName})"/>
    /// does one: the index under each tag, and each platform's image under TAG-PLATFORM
    /// (<see cref="LayoutContent.IndexFile(PlatformIndex, IReadOnlyList{TaggedName})"/>).
    /// </summary>
    public static void Write(PlatformIndex index, string directory, IReadOnlyList<TaggedName> tags) =>
        Write(LayoutContent.IndexFile(index, tags), LayoutContent.Blobs(index), directory);

    private static void Write(byte[] index, IReadOnlyList<LayoutBlob> blobs, string directory)
    {
        AtomicOutput.ReplaceDirectory(directory, IsLayout, temp =>
        {
            File.WriteAllBytes(Path.Combine(temp, "oci-layout"), LayoutContent.OciLayoutFile);
            foreach (var blob in blobs)
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
