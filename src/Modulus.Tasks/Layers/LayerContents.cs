using Modulus.Layers.Tar;

namespace Modulus.Layers;

/// <summary>
/// The exact tar entries of a layer about to be written (see <see cref="LayerPlan"/>), and what a
/// <see cref="LayerReader"/> reading the written layer back would see: an image view can take a
/// layer it just wrote from here instead of decompressing it again.
/// </summary>
public sealed class LayerContents
{
    private readonly IReadOnlyList<LayerRecord> _records;
    private IReadOnlyList<LayerReaderEntry>? _entries;

    private LayerContents(IReadOnlyList<LayerRecord> records) => _records = records;

    /// <summary>
    /// The records of <paramref name="entries"/>: sorted, duplicates merged, every parent explicit
    /// (<paramref name="impliedParent"/> as in <see cref="LayerWriterOptions.ImpliedParent"/>).
    /// Declarations are checked here, before a byte is written.
    /// </summary>
    public static LayerContents Of(IEnumerable<LayerEntry> entries, Func<UnixPath, DirectoryEntry?>? impliedParent = null) =>
        new(LayerPlan.Of(entries, impliedParent));

    internal IReadOnlyList<LayerRecord> Records => _records;

    /// <summary>The entries in archive order, normalized as <see cref="LayerReader"/> gives them; no body is captured.</summary>
    public IReadOnlyList<LayerReaderEntry> Entries => _entries ??= _records.Select(ReaderEntry).ToArray();

    /// <summary>The body of the regular file at <paramref name="ordinal"/> of <see cref="Entries"/>, or null for any other entry.</summary>
    public FileContent? BodyAt(int ordinal) => _records[ordinal].Type == TarType.Regular ? _records[ordinal].Content : null;

    private const string WhiteoutPrefix = ".wh.";

    private static LayerReaderEntry ReaderEntry(LayerRecord record)
    {
        // The writer's only marker is a whiteout (.wh.NAME, an empty file): the reader gives the hidden path.
        if (record.Type == TarType.Regular && record.Path.Name.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
        {
            var hidden = UnixPath.Parse(record.Path.Parent!.Value.Value.TrimEnd('/') + "/" + record.Path.Name[WhiteoutPrefix.Length..]);
            return new LayerReaderEntry(hidden, NodeType.File, record.Uid, record.Gid, record.Mode, 0, null, LayerEntryMarker.Whiteout);
        }
        return record.Type switch
        {
            TarType.Directory => new LayerReaderEntry(record.Path, NodeType.Directory, record.Uid, record.Gid, record.Mode, 0, null),
            TarType.Symlink => new LayerReaderEntry(record.Path, NodeType.Symlink, record.Uid, record.Gid, record.Mode, 0, record.LinkName),
            TarType.HardLink => new LayerReaderEntry(record.Path, NodeType.HardLink, record.Uid, record.Gid, record.Mode, 0,
                UnixPath.Parse("/" + record.LinkName).Value),
            _ => new LayerReaderEntry(record.Path, NodeType.File, record.Uid, record.Gid, record.Mode, record.Content?.Length ?? 0, null),
        };
    }
}
