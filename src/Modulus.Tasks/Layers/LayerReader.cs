using System.Formats.Tar;
using Modulus.Diagnostics;

namespace Modulus.Layers;

/// <summary>
/// Reads the entries of an uncompressed layer tar (ustar, PAX or GNU), treating every archive as
/// hostile, as Docker does. Nothing touches the host filesystem: devices and fifos are recorded,
/// never created, and bodies are streamed past unless the caller asks to capture them.
/// </summary>
/// <remarks>
/// A leading '/' is dropped and '.' segments vanish; a path or hard link whose '..' climbs above
/// the root is refused. Symlink targets are data and are accepted even when a relative target
/// climbs above the root ('../../etc'): Docker's own extractor refuses those because it creates
/// the link on the host, but containerd accepts them and so does the kernel inside a container,
/// where '..' at the root stays at the root. <c>Images.ImageFileSystem.Resolve</c> resolves targets
/// the same way, so no link leads outside the image, and refusing them would reject images that
/// run fine.
/// </remarks>
public static class LayerReader
{
    private const string WhiteoutPrefix = ".wh.";
    private const string WhiteoutMetaPrefix = ".wh..wh.";
    private const string OpaqueMarker = ".wh..wh..opq";

    /// <summary>The longest entry name or link target, in bytes: <see cref="PathLimits.MaxPathBytes"/>.</summary>
    public const int MaxPathBytes = PathLimits.MaxPathBytes;

    /// <summary>The most folders an entry may lie below the root: <see cref="PathLimits.MaxDepth"/>.</summary>
    public const int MaxPathDepth = PathLimits.MaxDepth;

    /// <summary>
    /// The entries of <paramref name="tar"/>, in archive order; <paramref name="layer"/> names the
    /// layer in errors. The stream is read forward only and left open.
    /// </summary>
    public static IEnumerable<LayerReaderEntry> Read(Stream tar, string layer, LayerReaderOptions? options = null)
    {
        options ??= LayerReaderOptions.HeadersOnly;
        var stream = new LayerReaderStream(tar);
        using var reader = new TarReader(stream, leaveOpen: true);
        string? previous = null;
        long previousBodyEnd = 0;
        // Names what the archive ended inside: the last entry's body, or the header after it.
        string Truncated() =>
            previous is null ? "(the first header)"
            : stream.BytesRead < previousBodyEnd ? previous
            : $"(the header after '{previous}')";

        while (Guarded(() => reader.GetNextEntry(copyData: false), stream, layer, Truncated) is { } entry)
        {
            previous = entry.Name;
            previousBodyEnd = stream.BytesRead + entry.Length;
            if (Guarded(() => Convert(entry, layer, options), stream, layer, Truncated) is { } converted) yield return converted;
        }
    }

    /// <summary>Turns the tar reader's exceptions into the user's errors; none may escape raw.</summary>
    private static T? Guarded<T>(Func<T?> read, LayerReaderStream stream, string layer, Func<string> truncatedEntry)
        where T : class
    {
        try
        {
            return read();
        }
        catch (EndOfStreamException) when (stream.BytesRead == 0)
        {
            return null; // An empty blob holds no entries, like an archive of only the end blocks.
        }
        catch (EndOfStreamException)
        {
            throw new ModulusException(Errors.TarTruncated, layer, truncatedEntry());
        }
        catch (NotSupportedException) when (stream.LastHeaderName is { } name)
        {
            // The tar reader refuses some types itself (GNU sparse, multi-volume) before yielding the entry.
            throw new ModulusException(Errors.TarEntryUnsupported, layer, name, (TarEntryType)stream.LastHeaderType);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or ArgumentException or OverflowException
                                      or NotSupportedException or InvalidOperationException or IOException)
        {
            throw new ModulusException(Errors.TarUnreadable, e, layer, e.Message);
        }
    }

    private static LayerReaderEntry? Convert(TarEntry entry, string layer, LayerReaderOptions options)
    {
        if (entry.EntryType == TarEntryType.GlobalExtendedAttributes) return null;
        var type = TypeOf(entry, layer);
        WithinLimits(entry.Name, "name", layer, entry.Name);
        if (!UnixPath.TryFromTarName(entry.Name, out var path))
            throw new ModulusException(Errors.TarEntryEscapesRoot, layer, entry.Name);
        if (type is NodeType.Symlink or NodeType.HardLink) WithinLimits(entry.LinkName, "link target", layer, entry.Name);
        var mode = (int)entry.Mode & 0xFFF;

        if (path.Name.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
            return Whiteout(entry, path, type, mode, layer);
        if (path.IsRoot && type != NodeType.Directory)
            throw new ModulusException(Errors.TarEntryUnsupported, layer, entry.Name, $"{type} in place of the root directory");

        var linkTarget = type switch
        {
            NodeType.Symlink => entry.LinkName,
            NodeType.HardLink => HardLinkTarget(entry, layer).Value,
            _ => null,
        };
        // A named path must fit; a file a pattern picks that is larger than the limit is simply not
        // captured (a scan for package records must not fail on an unusual large file).
        var content = type != NodeType.File ? null
            : options.CapturePaths.Contains(path) ? Capture(entry, layer, options.MaxCaptureBytes)
            : options.CaptureWhere?.Invoke(path) == true && entry.Length <= options.MaxCaptureBytes ? Capture(entry, layer, options.MaxCaptureBytes)
            : null;
        var head = content is null && type == NodeType.File && options.KeepExecutableHeads && (mode & 0b001_001_001) != 0
            ? Head(entry)
            : null;
        return new LayerReaderEntry(path, type, entry.Uid, entry.Gid, mode, entry.Length, linkTarget, LayerEntryMarker.None, content, head);
    }

    /// <summary>The first bytes of a body; the tar reader skips the rest when it moves to the next entry.</summary>
    private static byte[] Head(TarEntry entry)
    {
        var head = new byte[Math.Min(entry.Length, LayerReaderEntry.MaxHeadBytes)];
        if (head.Length > 0)
        {
            if (entry.DataStream is null) throw new EndOfStreamException();
            entry.DataStream.ReadExactly(head);
        }
        return head;
    }

    /// <summary>
    /// Refuses a name or link target beyond the <see cref="PathLimits"/>, before anything is built
    /// from it. Counting '/' overcounts "a//b", which only a hostile archive writes.
    /// </summary>
    private static void WithinLimits(string path, string what, string layer, string entryName)
    {
        if (PathLimits.Check(path) is { } beyond)
            throw new ModulusException(Errors.TarPathBeyondLimits, layer, PathLimits.Shortened(entryName), $"{what} {beyond.Breach}", beyond.Limit);
    }

    private static NodeType TypeOf(TarEntry entry, string layer) => entry.EntryType switch
    {
        TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile when IsPaxSparse(entry) =>
            throw new ModulusException(Errors.TarEntryUnsupported, layer, entry.Name, "GNU sparse file"),
        TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile => NodeType.File,
        TarEntryType.Directory => NodeType.Directory,
        TarEntryType.SymbolicLink => NodeType.Symlink,
        TarEntryType.HardLink => NodeType.HardLink,
        TarEntryType.CharacterDevice => NodeType.CharDevice,
        TarEntryType.BlockDevice => NodeType.BlockDevice,
        TarEntryType.Fifo => NodeType.Fifo,
        var other => throw new ModulusException(Errors.TarEntryUnsupported, layer, entry.Name, other),
    };

    /// <summary>PAX sparse files (GNU tar's --sparse with --format=pax) look regular but their body is a sparse map.</summary>
    private static bool IsPaxSparse(TarEntry entry) =>
        entry is PaxTarEntry pax && pax.ExtendedAttributes.Keys.Any(k => k.StartsWith("GNU.sparse.", StringComparison.Ordinal));

    private static UnixPath HardLinkTarget(TarEntry entry, string layer)
    {
        if (!UnixPath.TryFromTarName(entry.LinkName, out var target))
            throw new ModulusException(Errors.TarLinkEscapesRoot, layer, entry.Name, entry.LinkName);
        if (target.IsRoot)
            throw new ModulusException(Errors.TarEntryUnsupported, layer, entry.Name, "hard link to the root directory");
        return target;
    }

    private static LayerReaderEntry? Whiteout(TarEntry entry, UnixPath path, NodeType type, int mode, string layer)
    {
        var parent = path.Parent!.Value;
        if (path.Name == OpaqueMarker)
            return new LayerReaderEntry(parent, type, entry.Uid, entry.Gid, mode, 0, null, LayerEntryMarker.OpaqueDirectory);
        // Other '.wh..wh.' names are aufs bookkeeping (hard-link stores); Docker skips them too.
        if (path.Name.StartsWith(WhiteoutMetaPrefix, StringComparison.Ordinal)) return null;
        var hiddenName = path.Name[WhiteoutPrefix.Length..];
        if (hiddenName is "" or "." or ".." || !UnixPath.TryFromTarName(parent.TarName + "/" + hiddenName, out var hidden))
            throw new ModulusException(Errors.TarEntryUnsupported, layer, entry.Name, "whiteout without a file name");
        return new LayerReaderEntry(hidden, type, entry.Uid, entry.Gid, mode, 0, null, LayerEntryMarker.Whiteout);
    }

    private static byte[] Capture(TarEntry entry, string layer, long maxBytes)
    {
        if (entry.Length > maxBytes)
            throw new ModulusException(Errors.TarEntryTooLarge, layer, entry.Name, entry.Length, maxBytes);
        var content = new byte[entry.Length];
        if (content.Length > 0)
        {
            if (entry.DataStream is null) throw new EndOfStreamException();
            entry.DataStream.ReadExactly(content);
        }
        return content;
    }
}
