using Modulus.Diagnostics;
using Modulus.Layers;

namespace Modulus.Images;

/// <summary>File bodies, from the one layer that holds them.</summary>
public sealed partial class ImageFileSystem
{
    private byte[]? ReadBody(UnixPath path, long maxBytes) =>
        BodySource(path) is { } source ? Body(source.Layer, source.Ordinal, maxBytes) : null;

    /// <summary>
    /// The first bytes (at most <see cref="LayerReaderEntry.MaxHeadBytes"/>) of the regular file at
    /// <paramref name="path"/>, symbolic and hard links followed, from what the view already holds: the
    /// head kept when its layer was read (executables only), its kept body, or the contents of a layer
    /// this process wrote. Null when none of these has it: a head never costs a read of a layer.
    /// </summary>
    public byte[]? ReadHead(UnixPath path)
    {
        if (Resolve(path) is not { } resolved || TypeOf(nodes[resolved]) is not (NodeType.File or NodeType.HardLink)) return null;
        if (BodySource(resolved) is not { } at) return null;
        var source = layers[at.Layer];
        var entry = source.Entries[at.Ordinal];
        if (entry.Head is { } head) return head;
        if (entry.Content is { } kept) return kept[..Math.Min(kept.Length, LayerReaderEntry.MaxHeadBytes)];
        if (source.Contents?.BodyAt(at.Ordinal) is not { } content) return null;
        using var stream = content.OpenRead();
        var bytes = new byte[Math.Min(content.Length, LayerReaderEntry.MaxHeadBytes)];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>The layer and entry that hold the body of the file at <paramref name="path"/> (resolved), through hard links.</summary>
    private (int Layer, int Ordinal)? BodySource(UnixPath path)
    {
        for (var lowerHop = 0; lowerHop < MaxSymlinkHops; lowerHop++)
        {
            var (layer, ordinal) = nodes[path];
            var entries = layers[layer].Entries;
            if (entries[ordinal].Type == NodeType.File) return (layer, ordinal);

            // A hard link names an earlier entry of its own layer or, failing that, a file already in place below it.
            var target = LinkPath(entries[ordinal].LinkTarget);
            // Entries name their paths by id; a target no path has is no earlier entry's.
            var targetId = nodes.Find(target);
            var below = false;
            for (var hop = 0; hop < MaxSymlinkHops && !below; hop++)
            {
                var index = ordinal - 1;
                while (index >= 0 && !(entries[index].PathId == targetId && entries[index].Marker == LayerEntryMarker.None)) index--;
                if (index < 0)
                {
                    if (!nodes.TryGetValue(target, out var lower) || TypeOf(lower) != NodeType.File || lower.Layer >= layer) return null;
                    below = true;
                    continue;
                }
                var found = entries[index];
                if (found.Type == NodeType.File) return (layer, index);
                if (found.Type != NodeType.HardLink) return null;
                (ordinal, target) = (index, LinkPath(found.LinkTarget));
                targetId = nodes.Find(target);
            }
            if (!below) return null;
            path = target;
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
                throw new ModulusException(Errors.TarEntryTooLarge, LayerName(source.Layer), nodes.PathOf(entry.PathId).TarName, content.Length, maxBytes);
            using var stream = content.OpenRead();
            var bytes = new byte[content.Length];
            stream.ReadExactly(bytes);
            return bytes;
        }
        using var tar = source.Layer.OpenTar();
        var options = new LayerReaderOptions(new HashSet<UnixPath> { nodes.PathOf(entry.PathId) }, maxBytes);
        return LayerReader.Read(tar, LayerName(source.Layer), options).ElementAt(ordinal).Content!;
    }

    /// <summary>A hard link's target, which <see cref="LayerReader"/> has already normalized to an absolute path.</summary>
    private static UnixPath LinkPath(string? target) =>
        UnixPath.TryFromTarName(target ?? string.Empty, out var path) ? path : UnixPath.Root;
}
