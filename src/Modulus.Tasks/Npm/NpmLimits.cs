namespace Modulus.Npm;

/// <summary>
/// How long an npm registry may take and how much it may send (docs/node.md, "Limits"). The
/// defaults are what ships; tests shorten them.
/// </summary>
internal sealed record NpmLimits
{
    public static NpmLimits Default { get; } = new();

    /// <summary>
    /// One attempt at a request, body included. npm gives no tarball's compressed size, so this
    /// is fixed: a runtime tarball of tens of megabytes takes minutes at the slowest rate the
    /// registry client accepts (100 KiB/s).
    /// </summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>All attempts at a request and the waits between them.</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromMinutes(20);

    /// <summary>
    /// A package's metadata (its packument), which nothing gives a size. The metadata of the
    /// largest packages, with thousands of versions, is tens of megabytes: 256 MiB leaves ample
    /// room while bounding what parsing it may cost.
    /// </summary>
    public long MaxPackumentSize { get; init; } = 256L << 20;

    /// <summary>
    /// A tarball whose metadata gives no <c>dist.unpackedSize</c> and <c>dist.fileCount</c>. The
    /// Node.js runtimes, the largest packages Modulus installs, are tens of megabytes.
    /// </summary>
    public long MaxTarballSize { get; init; } = 1L << 30;

    /// <summary>
    /// What a tarball may be when its metadata says how many bytes and files it unpacks to: a
    /// gzipped tar holds the files, a header of 512 bytes (and a long name's own, 1 KiB) for each
    /// and for a folder of each, padding to 512 bytes, and an end, so it is at most the files plus
    /// 4 KiB each plus 1 MiB, and gzip adds at most one part in a thousand to what it cannot
    /// shrink. Null without both numbers, or with numbers no package has (past 64 GiB or 16
    /// million files): then <see cref="MaxTarballSize"/> holds.
    /// </summary>
    public static long? DeclaredTarballLimit(NpmVersionInfo version)
    {
        if (version.UnpackedSize is not (>= 0 and <= MaxDeclaredUnpacked) || version.FileCount is not (>= 0 and <= MaxDeclaredFiles))
            return null;
        var tar = version.UnpackedSize.Value + version.FileCount.Value * 4096 + (1 << 20);
        return tar + tar / 1000;
    }

    private const long MaxDeclaredUnpacked = 64L << 30;

    private const long MaxDeclaredFiles = 16L << 20;
}
