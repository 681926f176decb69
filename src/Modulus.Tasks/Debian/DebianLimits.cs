namespace Modulus.Debian;

/// <summary>
/// How long a Debian mirror may take and how much it may send where nothing gives a size
/// (docs/debian.md). The defaults are what ships, the registry's rules; tests shorten them.
/// </summary>
internal sealed record DebianLimits
{
    public static DebianLimits Default { get; } = new();

    /// <summary>One attempt at a download, body included, plus its size at <see cref="MinimumBytesPerSecond"/>.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>All attempts at a download and the waits between them, plus its size at <see cref="MinimumBytesPerSecond"/>.</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>The slowest rate a download of a known size is given time for.</summary>
    public long MinimumBytesPerSecond { get; init; } = 100 * 1024;

    /// <summary>InRelease has no size anywhere; a real one is a few hundred kilobytes.</summary>
    public long MaxReleaseSize { get; init; } = 16 << 20;

    /// <summary>The time a download of <paramref name="size"/> bytes (0: unknown) adds to both limits.</summary>
    public TimeSpan TransferTime(long size) => TimeSpan.FromSeconds((double)Math.Max(0, size) / Math.Max(1, MinimumBytesPerSecond));
}
