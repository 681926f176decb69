namespace Modulus.Layers;

/// <summary>What an entry means to the layers below it, beyond being a node of its own.</summary>
public enum LayerEntryMarker
{
    /// <summary>An ordinary entry: a node at <see cref="LayerReaderEntry.Path"/>.</summary>
    None,

    /// <summary>A '.wh.NAME' entry: <see cref="LayerReaderEntry.Path"/> is the hidden path (NAME and its subtree).</summary>
    Whiteout,

    /// <summary>A '.wh..wh..opq' entry: <see cref="LayerReaderEntry.Path"/> is the directory whose lower contents are hidden.</summary>
    OpaqueDirectory,
}

/// <summary>
/// One entry of a layer's tar, normalized. <see cref="Mode"/> holds permission bits only
/// (0..07777). <see cref="LinkTarget"/> is a symlink's target verbatim, or a hard link's target as
/// a normalized absolute path. <see cref="Content"/> is set only for regular files the caller asked
/// to capture. <see cref="Head"/> is the first bytes of an executable regular file whose body was not
/// captured, when the caller asked for heads (<see cref="LayerReaderOptions.KeepExecutableHeads"/>):
/// enough to tell a binary's architecture or a script's interpreter without reading the layer again.
/// </summary>
public sealed record LayerReaderEntry(
    UnixPath Path,
    NodeType Type,
    int Uid,
    int Gid,
    int Mode,
    long Size,
    string? LinkTarget,
    LayerEntryMarker Marker = LayerEntryMarker.None,
    byte[]? Content = null,
    byte[]? Head = null)
{
    /// <summary>The most bytes of a head: an ELF header's identification and machine fit, and so does a usual #! line.</summary>
    public const int MaxHeadBytes = 64;
}

/// <summary>
/// Which bodies <see cref="LayerReader"/> keeps: the regular files at <see cref="CapturePaths"/>,
/// each at most <see cref="MaxCaptureBytes"/> long. Every other body is streamed past.
/// </summary>
public sealed record LayerReaderOptions(IReadOnlySet<UnixPath> CapturePaths, long MaxCaptureBytes)
{
    public static LayerReaderOptions HeadersOnly { get; } = new(new HashSet<UnixPath>(), 0);

    /// <summary>
    /// Also keeps the bodies of the files this says yes to: for a scan whose paths are patterns (the
    /// SBOM's package records), not known in advance. Such a file over MaxCaptureBytes is passed
    /// over (no content) instead of failing the read.
    /// </summary>
    public Func<UnixPath, bool>? CaptureWhere { get; init; }

    /// <summary>
    /// Also keeps the first <see cref="LayerReaderEntry.MaxHeadBytes"/> bytes of every regular file
    /// with an execute bit (as <see cref="LayerReaderEntry.Head"/>), read as the body streams past:
    /// a bounded cost per executable, where reading them later would mean decompressing the layer again.
    /// </summary>
    public bool KeepExecutableHeads { get; init; }
}
