namespace Modulus.Layers;

/// <summary>
/// The limits a path from outside (a tar entry's name, a link's target, where an entry lands in the
/// image) must keep, the kernel's own: no path longer than PATH_MAX (4096 bytes) and no name in it
/// longer than NAME_MAX (255 bytes), and no deeper than <see cref="MaxDepth"/> folders.
/// </summary>
public static class PathLimits
{
    /// <summary>PATH_MAX: the longest path the kernel takes in one call.</summary>
    public const int MaxPathBytes = 4096;

    /// <summary>NAME_MAX: the longest file or folder name ext4, xfs, btrfs and overlayfs store.</summary>
    public const int MaxNameBytes = 255;

    /// <summary>
    /// The most folders a path may lie below the root. PATH_MAX alone allows 2048 ("a/a/..."), no
    /// real image comes near (a Debian base is about 15 deep, node_modules rarely 100), and each
    /// folder is a node of the merged view: 1024 keeps twice the depth of anything PATH_MAX lets
    /// through at its shortest names, and one entry's folders to a few megabytes.
    /// </summary>
    public const int MaxDepth = 1024;

    /// <summary>
    /// Null when <paramref name="path"/> keeps the limits; else what it breaks ("is 5000 bytes
    /// long") and the limit broken ("4096 bytes"). One pass over the path.
    /// </summary>
    public static (string Breach, string Limit)? Check(string path)
    {
        // UTF-8 lengths counted per character: one loop, no call per name (a deep path has thousands).
        var (bytes, depth, name, nameStart) = (0, 0, 0, 0);
        (string, string)? longName = null;
        for (var i = 0; i <= path.Length; i++)
        {
            if (i == path.Length || path[i] == '/')
            {
                if (name > MaxNameBytes && longName is null)
                    longName = (FormattableString.Invariant($"has a name of {name} bytes ('{Shortened(path[nameStart..i])}')"), FormattableString.Invariant($"{MaxNameBytes} bytes per name"));
                if (name > 0) depth++;
                if (i < path.Length) bytes++;
                (name, nameStart) = (0, i + 1);
                continue;
            }
            var c = path[i];
            var size = c < 0x80 ? 1 : c < 0x800 ? 2 : char.IsHighSurrogate(c) ? 4 : char.IsLowSurrogate(c) ? 0 : 3;
            (bytes, name) = (bytes + size, name + size);
        }
        if (bytes > MaxPathBytes) return (FormattableString.Invariant($"is {bytes} bytes long"), FormattableString.Invariant($"{MaxPathBytes} bytes"));
        if (longName is not null) return longName;
        // The last name is the entry itself; the folders above it are what counts.
        if (depth - 1 > MaxDepth) return (FormattableString.Invariant($"is {depth - 1} folders deep"), FormattableString.Invariant($"{MaxDepth} folders"));
        return null;
    }

    /// <summary>A path short enough to read in an error: its start and its end.</summary>
    public static string Shortened(string path) => path.Length <= 120 ? path : $"{path[..60]}...{path[^40..]}";
}
