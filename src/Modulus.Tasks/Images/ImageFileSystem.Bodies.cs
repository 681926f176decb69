using Modulus.Diagnostics;
using Modulus.Layers;

namespace Modulus.Images;

/// <summary>File bodies, from the one layer that holds them.</summary>
public sealed partial class ImageFileSystem
{
    private byte[]? ReadBody(UnixPath path, long maxBytes)
    {
        var (layer, ordinal, _) = sources[path];
        var node = nodes[path];
        if (node.Type == NodeType.File) return Body(layer, ordinal, maxBytes);

        // A hard link names an earlier entry of its own layer or, failing that, a file already in place below it.
        var entries = layers[layer].Entries;
        var target = LinkPath(node.LinkTarget);
        for (var hop = 0; hop < MaxSymlinkHops; hop++)
        {
            var index = ordinal - 1;
            while (index >= 0 && !(entries[index].Path == target && entries[index].Marker == LayerEntryMarker.None)) index--;
            if (index < 0)
                return nodes.GetValueOrDefault(target) is { Type: NodeType.File, LayerIndex: var lower } && lower < layer
                    ? ReadBody(target, maxBytes)
                    : null;
            var found = entries[index];
            if (found.Type == NodeType.File) return Body(layer, index, maxBytes);
            if (found.Type != NodeType.HardLink) return null;
            (ordinal, target) = (index, LinkPath(found.LinkTarget));
        }
        return null;
    }

    /// <summary>
    /// The body of a layer's regular file: kept when the layer was read, at hand for a layer this
    /// process wrote, else read again from the layer, stopping at that entry.
    /// </summary>
    private byte[] Body(int layer, int ordinal, long maxBytes)
    {
        var source = layers[layer];
        var entry = source.Entries[ordinal];
        if (entry.Content is { } kept && kept.Length <= maxBytes) return kept;
        if (source.Contents?.BodyAt(ordinal) is { } content)
        {
            if (content.Length > maxBytes)
                throw new ModulusException(Errors.TarEntryTooLarge, LayerName(source.Layer), entry.Path.TarName, content.Length, maxBytes);
            using var stream = content.OpenRead();
            var bytes = new byte[content.Length];
            stream.ReadExactly(bytes);
            return bytes;
        }
        using var tar = source.Layer.OpenTar();
        var options = new LayerReaderOptions(new HashSet<UnixPath> { entry.Path }, maxBytes);
        return LayerReader.Read(tar, LayerName(source.Layer), options).ElementAt(ordinal).Content!;
    }

    /// <summary>A hard link's target, which <see cref="LayerReader"/> has already normalized to an absolute path.</summary>
    private static UnixPath LinkPath(string? target) =>
        UnixPath.TryFromTarName(target ?? string.Empty, out var path) ? path : UnixPath.Root;
}
