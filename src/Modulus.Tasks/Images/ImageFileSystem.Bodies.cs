using Modulus.Layers;

namespace Modulus.Images;

/// <summary>File bodies, read on demand from the one layer that holds them.</summary>
public sealed partial class ImageFileSystem
{
    private byte[]? ReadBody(UnixPath path, long maxBytes)
    {
        var (layer, ordinal, tarPath) = sources[path];
        var node = nodes[path];
        if (node.Type == NodeType.File) return ReadPrefix(layer, ordinal, tarPath, maxBytes)[ordinal].Content;

        // A hard link names an earlier entry of its own layer or, failing that, a file already in place below it.
        var target = LinkPath(node.LinkTarget);
        for (var hop = 0; hop < MaxSymlinkHops; hop++)
        {
            var entries = ReadPrefix(layer, ordinal, target, maxBytes);
            var index = ordinal - 1;
            while (index >= 0 && !(entries[index].Path == target && entries[index].Marker == LayerEntryMarker.None)) index--;
            if (index < 0)
                return nodes.GetValueOrDefault(target) is { Type: NodeType.File, LayerIndex: var lower } && lower < layer
                    ? ReadBody(target, maxBytes)
                    : null;
            var found = entries[index];
            if (found.Type == NodeType.File) return found.Content;
            if (found.Type != NodeType.HardLink) return null;
            (ordinal, target) = (index, LinkPath(found.LinkTarget));
        }
        return null;
    }

    /// <summary>The entries of a layer up to <paramref name="lastOrdinal"/>, with the bodies at <paramref name="capture"/>.</summary>
    private List<LayerReaderEntry> ReadPrefix(int layer, int lastOrdinal, UnixPath capture, long maxBytes)
    {
        using var tar = layers[layer].OpenTar();
        var options = new LayerReaderOptions(new HashSet<UnixPath> { capture }, maxBytes);
        return LayerReader.Read(tar, LayerName(layers[layer]), options).Take(lastOrdinal + 1).ToList();
    }

    /// <summary>A hard link's target, which <see cref="LayerReader"/> has already normalized to an absolute path.</summary>
    private static UnixPath LinkPath(string? target) =>
        UnixPath.TryFromTarName(target ?? string.Empty, out var path) ? path : UnixPath.Root;
}
