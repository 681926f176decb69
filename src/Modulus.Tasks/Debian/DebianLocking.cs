using Modulus.Diagnostics;
using Modulus.Storage;

namespace Modulus.Debian;

/// <summary>
/// How a lock file answers a request, and how a resolution enters it. One file serves every
/// platform of a project, each architecture with its own entry, and all entries answer the same
/// request: an architecture not yet in the file is resolved and added beside the others, while a
/// request the file's entries do not answer is refused (MOD3015) as with one architecture, so
/// that the file never mixes two requests.
/// </summary>
internal static class DebianLocking
{
    /// <summary>
    /// The entry of <paramref name="architecture"/> in <paramref name="file"/> when it answers the
    /// request; null when the architecture is to be resolved (no file, no entry, or a refresh).
    /// </summary>
    public static DebianLock? Existing(DebianLockFile? file, string path, string suite, string architecture,
        IReadOnlyList<string> request, bool minimalSystem, bool refresh)
    {
        if (file is null || refresh) return null;
        if (file.For(architecture) is { } own)
            return own.Mismatch(suite, architecture, request, minimalSystem) is { } why ? throw Outdated(path, why) : own;
        // Resolving this architecture for a request the others no longer answer would leave a file
        // that no build matches; the refresh that fixes them resolves this one too.
        foreach (var other in file.Locks)
            if (other.Mismatch(suite, other.Architecture, request, minimalSystem) is { } why) throw Outdated(path, why);
        return null;
    }

    /// <summary>
    /// Writes <paramref name="resolved"/> into the lock file at <paramref name="path"/>, keeping
    /// the other architectures' entries, and gives the lock to install from. The file is read
    /// again under <see cref="PathLock"/>, not taken from before the resolution: another platform
    /// or build may have added its architecture meanwhile. When that build added this very
    /// architecture (and this is no refresh), its entry wins, so both builds install the same.
    /// </summary>
    public static async Task<DebianLock> AddAsync(string path, DebianLock resolved, bool refresh, CancellationToken cancellationToken)
    {
        using var held = await AcquireAsync(path, cancellationToken);
        var current = refresh ? ReadForRefresh(path) : DebianLockFile.ReadIfExists(path);
        if (Existing(current, path, resolved.Suite, resolved.Architecture, resolved.Request, resolved.MinimalSystem, refresh) is { } added) return added;
        // A refresh drops the entries of the request it replaces; their architectures are
        // resolved again when next built. Entries that answer it keep their resolution.
        var kept = current?.Locks.Where(l => l.Architecture != resolved.Architecture
            && l.RequestMismatch(resolved.Suite, resolved.Request, resolved.MinimalSystem) is null) ?? [];
        new DebianLockFile(kept.Append(resolved)).Write(path);
        return resolved;
    }

    /// <summary>A refresh writes over a lock file that cannot be read, as MOD3014 advises.</summary>
    private static DebianLockFile? ReadForRefresh(string path)
    {
        try
        {
            return DebianLockFile.ReadIfExists(path);
        }
        catch (ModulusException e) when (e.Error == Errors.InvalidDebianLockFile)
        {
            return null;
        }
    }

    private static async Task<PathLock> AcquireAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await PathLock.AcquireAsync(path, cancellationToken);
        }
        catch (TimeoutException e)
        {
            throw new ModulusException(Errors.DebianLockFileBusy, e, Path.GetFullPath(path), (int)PathLock.DefaultTimeout.TotalSeconds, e.Message);
        }
    }

    private static ModulusException Outdated(string path, string why) => new(Errors.DebianLockOutdated, path, why);
}
