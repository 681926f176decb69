using System.Formats.Tar;
using System.Text.Json;
using Modulus.Images;
using Modulus.Oci;

namespace Modulus.Sinks;

/// <summary>
/// Writes one tar that both `docker load` (20.10 and newer: docker-archive manifest.json) and OCI
/// readers (the OCI layout beside it in the same tar) accept, as docker save does since Docker 25.
/// The tar is reproducible: sorted entries, a fixed time, owner 0:0 and no user or group names.
/// </summary>
public static class DockerArchiveWriter
{
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private const UnixFileMode DirectoryMode = FileMode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>Writes <paramref name="image"/> to <paramref name="tarPath"/>; repoTags are "repository:tag".</summary>
    public static void Write(Image image, string tarPath, IReadOnlyList<TaggedName> repoTags)
    {
        var blobs = LayoutContent.Blobs(image);
        var files = new List<LayoutBlob>(blobs)
        {
            Bytes("oci-layout", LayoutContent.OciLayoutFile),
            Bytes("index.json", LayoutContent.IndexFile(image, repoTags)),
            Bytes("manifest.json", DockerManifest(image, repoTags)),
        };
        var directories = blobs.Select(b => b.RelativePath)
            .SelectMany(p => new[] { "blobs/", p[..(p.LastIndexOf('/') + 1)] })
            .Distinct();
        var entries = directories.Select(d => (Name: d, Blob: (LayoutBlob?)null))
            .Concat(files.Select(f => (Name: f.RelativePath, Blob: (LayoutBlob?)f)))
            .OrderBy(e => e.Name, StringComparer.Ordinal);

        AtomicOutput.ReplaceFile(tarPath, output =>
        {
            using var writer = new TarWriter(output, TarEntryFormat.Ustar, leaveOpen: true);
            foreach (var (name, blob) in entries)
            {
                var entry = new UstarTarEntry(blob is null ? TarEntryType.Directory : TarEntryType.RegularFile, name)
                {
                    ModificationTime = DateTimeOffset.UnixEpoch,
                    Mode = blob is null ? DirectoryMode : FileMode,
                    Uid = 0,
                    Gid = 0,
                    UserName = string.Empty,
                    GroupName = string.Empty,
                };
                using var data = blob?.Open();
                if (data is not null) entry.DataStream = data;
                writer.WriteEntry(entry);
            }
        });
    }

    /// <summary>The docker-archive manifest.json: config and layers as paths inside this tar.</summary>
    private static byte[] DockerManifest(Image image, IReadOnlyList<TaggedName> repoTags) =>
        JsonSerializer.SerializeToUtf8Bytes(new[]
        {
            new Dictionary<string, object>
            {
                ["Config"] = LayoutContent.PathOf(image.ConfigDigest),
                ["RepoTags"] = repoTags.Select(t => t.ToString()).ToArray(),
                ["Layers"] = image.Layers.Select(l => LayoutContent.PathOf(l.Digest)).ToArray(),
            },
        });

    private static LayoutBlob Bytes(string name, byte[] content) => new(name, content.Length, () => new MemoryStream(content, writable: false));
}
