using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Modulus.Images;
using Modulus.Layers;
using Modulus.Oci;
using Modulus.Storage;

namespace Modulus.Tests.Sources;

/// <summary>
/// Small images and layers for tests of sources and sinks: image layers come from the layer writer;
/// raw tars are for archives other tools write (docker save's uncompressed layers, hostile archives).
/// </summary>
internal static class TestImages
{
    public static readonly DateTimeOffset Created = new(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);

    /// <summary>An uncompressed layer tar holding the given entries, written with fixed times.</summary>
    public static byte[] Tar(Action<TarWriter> fill)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true)) fill(writer);
        return buffer.ToArray();
    }

    public static byte[] Gzip(byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(content);
        return buffer.ToArray();
    }

    public static void AddFile(TarWriter writer, string name, byte[] content, UnixFileMode mode = (UnixFileMode)0b110_100_100)
    {
        writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = new MemoryStream(content),
            Mode = mode,
            ModificationTime = DateTimeOffset.UnixEpoch,
        });
    }

    public static void AddDirectory(TarWriter writer, string name) =>
        writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, name) { Mode = (UnixFileMode)0b111_101_101, ModificationTime = DateTimeOffset.UnixEpoch });

    /// <summary>A layer holding one text file at <paramref name="name"/> (relative, e.g. "hello.txt").</summary>
    public static BlobLayer FileLayer(BlobStore store, string name, string text) =>
        store.WriteLayer([new FileEntry(UnixPath.Parse("/" + name), FileContent.FromText(text))], LayerWriterOptions.Default);

    /// <summary>A one-layer image for <paramref name="platform"/> with /hello.txt saying <paramref name="text"/>.</summary>
    public static Image Hello(BlobStore store, string text, Platform? platform = null) =>
        ImageBuilder.Build(Image.Scratch(platform ?? Platform.LinuxAmd64),
            [new AppendedLayer(FileLayer(store, "hello.txt", text), "test: hello.txt")],
            new ConfigChanges { Cmd = ["cat", "/hello.txt"] }, Created);

    /// <summary>A copy of <paramref name="image"/> whose layer blob has vanished from the store: writing it must fail midway.</summary>
    public static Image WithoutLayerBlob(Image image)
    {
        var layer = (BlobLayer)image.Layers[0];
        var moved = new BlobLayer(layer.BlobPath + ".gone", layer.MediaType, layer.Digest, layer.DiffId, layer.Size);
        return new Image(image.Config, [moved]);
    }

    /// <summary>The text of <paramref name="name"/> in a layer, read from its tar.</summary>
    public static string? ReadText(ILayer layer, string name)
    {
        using var tar = layer.OpenTar();
        using var reader = new TarReader(tar);
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.Name.TrimStart('.', '/') != name || entry.DataStream is null) continue;
            using var text = new StreamReader(entry.DataStream, Encoding.UTF8);
            return text.ReadToEnd();
        }
        return null;
    }

    /// <summary>Writes <paramref name="content"/> as a blob of the layout at <paramref name="layout"/>.</summary>
    public static Descriptor PutBlob(string layout, string mediaType, byte[] content)
    {
        var digest = Digest.Compute(content);
        var path = Path.Combine(layout, "blobs", "sha256", digest.Encoded);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return new Descriptor(mediaType, digest, content.Length);
    }

    public static string BlobPath(string layout, Digest digest) => Path.Combine(layout, "blobs", digest.Algorithm, digest.Encoded);
}
