using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Modulus.Storage;

/// <summary>
/// Exclusive use of a path for a read-modify-write, among the tasks of this process and other
/// processes: the platforms of one publish, and publishes of several projects, may share a file
/// (a Debian lock file), and a write made from a stale read would drop what another wrote.
/// Within the process a semaphore per full path queues the tasks without polling; across
/// processes an OS lock on a file of its own in the temp folder does, released by the OS when a
/// process dies. That file is not beside the path because the path's folder may be read-only or
/// watched (a project folder under source control).
/// </summary>
internal sealed class PathLock : IDisposable
{
    /// <summary>Far longer than any holder needs (a read and a write of a small file); past it a holder is stuck.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);
    private static readonly TimeSpan LongestPoll = TimeSpan.FromMilliseconds(250);

    private readonly SemaphoreSlim _gate;
    private readonly FileStream _osLock;

    private PathLock(SemaphoreSlim gate, FileStream osLock)
    {
        _gate = gate;
        _osLock = osLock;
    }

    /// <summary>The file whose OS lock stands for <paramref name="path"/>'s: named by a hash of its full path.</summary>
    public static string LockFileFor(string path)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(path))))[..32];
        return Path.Combine(Path.GetTempPath(), "modulus-locks", hash + ".lock");
    }

    /// <summary>Waits for <paramref name="path"/> to be free, up to <paramref name="timeout"/>.</summary>
    /// <exception cref="TimeoutException">Another task or process held it all that time; the message names which.</exception>
    public static async Task<PathLock> AcquireAsync(string path, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var full = Path.GetFullPath(path);
        var limit = timeout ?? DefaultTimeout;
        var gate = Gates.GetOrAdd(full, _ => new SemaphoreSlim(1, 1));
        var waited = System.Diagnostics.Stopwatch.StartNew();
        if (!await gate.WaitAsync(limit, cancellationToken))
            throw new TimeoutException("another task of this build holds it");
        try
        {
            return new PathLock(gate, await LockFileAsync(full, limit - waited.Elapsed, cancellationToken));
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    public void Dispose()
    {
        // The lock file stays: deleting it would let a process that opened it just before lock
        // the deleted file while a third creates and locks a new one, both holding "the" lock.
        // It is empty and one per path ever locked.
        _osLock.Dispose();
        _gate.Release();
    }

    private static async Task<FileStream> LockFileAsync(string full, TimeSpan limit, CancellationToken cancellationToken)
    {
        var lockFile = LockFileFor(full);
        Directory.CreateDirectory(Path.GetDirectoryName(lockFile)!);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var poll = TimeSpan.FromMilliseconds(5);
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive flock on Unix and a share-mode lock on Windows.
                return new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            }
            catch (IOException) when (File.Exists(lockFile))
            {
                if (waited.Elapsed >= limit)
                    throw new TimeoutException($"another process holds its lock {lockFile}");
                await Task.Delay(poll, cancellationToken);
                poll = TimeSpan.FromTicks(Math.Min(poll.Ticks * 2, LongestPoll.Ticks));
            }
        }
    }
}
