using Modulus.Diagnostics;

namespace Modulus.Sinks;

/// <summary>
/// Writes outputs beside their final place and moves them in only when complete, so a failed or
/// interrupted write never leaves a half-written image where a reader (or docker load) finds it.
/// </summary>
internal static class AtomicOutput
{
    /// <summary>Writes a file through <paramref name="write"/> and renames it over <paramref name="path"/>.</summary>
    public static void ReplaceFile(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var temp = SiblingOf(full, "tmp");
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16)) write(file);
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModulusException(Errors.OutputWriteFailed, e, full, e.Message);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>
    /// Fills a fresh sibling directory through <paramref name="write"/>, then swaps it with
    /// <paramref name="path"/>: the old directory is moved aside first and put back if the new one
    /// cannot be moved in. <paramref name="isReplaceable"/> guards against replacing a folder that
    /// is not an earlier output.
    /// </summary>
    public static void ReplaceDirectory(string path, Func<string, bool> isReplaceable, Action<string> write)
    {
        var full = EnsureReplaceable(path, isReplaceable);
        var temp = SiblingOf(full, "tmp");
        var old = SiblingOf(full, "old");
        try
        {
            Directory.CreateDirectory(temp);
            write(temp);
            if (Directory.Exists(full))
            {
                Directory.Move(full, old);
                try
                {
                    Directory.Move(temp, full);
                }
                catch
                {
                    Directory.Move(old, full);
                    throw;
                }
            }
            else
            {
                Directory.Move(temp, full);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModulusException(Errors.OutputWriteFailed, e, full, e.Message);
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
            if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
        }
    }

    /// <summary>Refuses (MOD2212) to replace a file, or a folder that is neither empty nor an earlier output; returns the full path.</summary>
    public static string EnsureReplaceable(string path, Func<string, bool> isReplaceable)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        if (File.Exists(full) || (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any() && !isReplaceable(full)))
            throw new ModulusException(Errors.OutputNotALayout, full);
        return full;
    }

    /// <summary>A hidden name in the same folder, so the final rename stays on one filesystem.</summary>
    private static string SiblingOf(string full, string suffix) =>
        Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.{suffix}");
}
