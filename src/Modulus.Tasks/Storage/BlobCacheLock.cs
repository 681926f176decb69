using Modulus.Diagnostics;

namespace Modulus.Storage;

/// <summary>
/// Who may use the blob cache now: an OS lock on <c>ROOT/.lock</c>. Every publish holds it shared
/// for its whole run (flock LOCK_SH on Unix: any number together); pruning and verifying, which
/// remove units, hold it exclusive (LOCK_EX), so they never remove what a running publish has
/// found or is about to use. The OS releases it when a process dies, so a killed publish blocks
/// nothing. The file stays (deleting it would let two holders lock different files).
/// </summary>
public sealed class BlobCacheLock : IDisposable
{
    /// <summary>How long a publish waits for a prune to end, and a prune or verify for running publishes, before MOD2261.</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromMinutes(10);

    internal const string FileName = ".lock";

    private static readonly TimeSpan LongestPoll = TimeSpan.FromMilliseconds(500);

    private readonly FileStream? _file;

    private BlobCacheLock(FileStream? file) => _file = file;

    public static string PathIn(string root) => Path.Combine(Path.GetFullPath(root), FileName);

    /// <summary>The lock a publish holds: waits while a prune or verify holds it exclusive (<paramref name="waiting"/> is told once, when it starts to wait).</summary>
    /// <exception cref="ModulusException">MOD2261 when it was not free within <paramref name="wait"/>.</exception>
    public static Task<BlobCacheLock> ShareAsync(string root, CancellationToken cancellationToken, TimeSpan? wait = null, Action? waiting = null) =>
        AcquireAsync(root, exclusive: false, wait ?? DefaultWait, "publish", cancellationToken, waiting);

    /// <summary>The lock a prune or verify holds: waits while any publish runs.</summary>
    /// <exception cref="ModulusException">MOD2261 when it was not free within <paramref name="wait"/>.</exception>
    public static Task<BlobCacheLock> ExclusiveAsync(string root, string what, CancellationToken cancellationToken, TimeSpan? wait = null) =>
        AcquireAsync(root, exclusive: true, wait ?? DefaultWait, what, cancellationToken);

    /// <summary>The exclusive lock if no one holds the lock at all now, else null (the automatic prune skips).</summary>
    public static BlobCacheLock? TryExclusive(string root)
    {
        try
        {
            return TryOpen(root, exclusive: true, out var held) ? held : null;
        }
        catch (ModulusException)
        {
            // A lock this user cannot open: no automatic prune, as when another publish holds it.
            return null;
        }
    }

    public void Dispose() => _file?.Dispose();

    private static async Task<BlobCacheLock> AcquireAsync(string root, bool exclusive, TimeSpan wait, string what, CancellationToken cancellationToken,
        Action? waiting = null)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var poll = TimeSpan.FromMilliseconds(10);
        var told = false;
        while (true)
        {
            if (TryOpen(root, exclusive, out var held)) return held!;
            if (!told) waiting?.Invoke();
            told = true;
            if (waited.Elapsed >= wait)
                throw new ModulusException(Errors.BlobCacheBusy, what, PathIn(root), FormatWait(wait),
                    exclusive ? "a publish is using the cache" : "a prune or verify of the cache is running");
            await Task.Delay(poll, cancellationToken);
            poll = TimeSpan.FromTicks(Math.Min(poll.Ticks * 2, LongestPoll.Ticks));
        }
    }

    private static bool TryOpen(string root, bool exclusive, out BlobCacheLock? held)
    {
        var path = PathIn(root);
        held = null;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            // Readable by every user that shares the cache: the lock needs no write access to the file.
            if (!File.Exists(path)) Create(path);
            // On Unix FileShare.None takes flock LOCK_EX and any other share LOCK_SH, without waiting;
            // on Windows the share modes exclude each other the same way. Opened for reading: .NET
            // takes no shared flock on a handle open for writing on a network file system (NFS, SMB).
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, exclusive ? FileShare.None : FileShare.ReadWrite, 1, FileOptions.None);
            held = new BlobCacheLock(file);
            return true;
        }
        catch (UnauthorizedAccessException e) when (exclusive)
        {
            // Removing units while publishes might run unseen is what the lock exists to prevent.
            throw new ModulusException(Errors.BlobCacheRemoveFailed, e, path, $"its lock cannot be opened ({e.Message}), so running publishes cannot be told apart");
        }
        catch (UnauthorizedAccessException)
        {
            // A publish in a cache whose lock it cannot read (a shared cache, read only) goes on
            // without it: it removes nothing, and a prune by a user who can read the lock waits for nothing.
            held = new BlobCacheLock(null);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
    }

    private static void Create(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.ReadWrite };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        new FileStream(path, options).Dispose();
    }

    private static string FormatWait(TimeSpan wait) =>
        wait.TotalMinutes >= 1 ? $"{wait.TotalMinutes:0.#} minutes" : $"{wait.TotalSeconds:0.#} seconds";
}
