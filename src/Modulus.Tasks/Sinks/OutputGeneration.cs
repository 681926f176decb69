using Modulus.Diagnostics;
using Modulus.Storage;

namespace Modulus.Sinks;

/// <summary>
/// Replaces a publish's outputs (the layout, the tar, the SBOM, modulus-image.json) as one set.
/// Everything is written into a hidden generation folder beside them; only when all of it is
/// complete are the fixed names switched, by renames within one file system, with
/// modulus-image.json taken away first and put in last. A failure or a kill while writing leaves
/// the previous set untouched; during the switch a reader finds either no modulus-image.json or
/// one whose set is complete beside it. Leftovers of a writer that died are removed by the next
/// publish into the same folder.
/// </summary>
internal static class OutputGeneration
{
    private const string NextPrefix = ".modulus-next.";
    private const string OldPrefix = ".modulus-old.";

    /// <summary>Leftovers without a writer's PID (from earlier Modulus versions) are removed once this old.</summary>
    internal static readonly TimeSpan AbandonedAfter = TimeSpan.FromHours(1);

    /// <summary>
    /// Writes the set through <paramref name="write"/> (given the generation folder to write the
    /// <paramref name="names"/> into) and switches it in. <paramref name="report"/> is the name
    /// that readers start from; it is switched last. <paramref name="beforeSwitch"/> runs once the
    /// set is complete, before the first rename: what must not outlive the previous set goes there.
    /// </summary>
    public static void Replace(string folder, IReadOnlyList<string> names, string report, Action<string> write, Action beforeSwitch)
    {
        var full = Path.GetFullPath(folder);
        var next = Path.Combine(full, NextPrefix + WriterProcess.Mark + "." + Guid.NewGuid().ToString("N"));
        var old = Path.Combine(full, OldPrefix + WriterProcess.Mark + "." + Guid.NewGuid().ToString("N"));
        try
        {
            try
            {
                Directory.CreateDirectory(next);
                write(next);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ModulusException(Errors.OutputWriteFailed, e, full, e.Message);
            }
            beforeSwitch();
            Switch(full, next, old, [report, .. names.Where(n => n != report)], report);
        }
        finally
        {
            DeleteQuietly(next);
            DeleteQuietly(old);
        }
    }

    /// <summary>
    /// Moves each old entry aside and the new one in, the report first out and last in. A failure
    /// puts back what was moved; only if that fails too is the folder left mixed, and the message says so.
    /// </summary>
    private static void Switch(string folder, string next, string old, IReadOnlyList<string> order, string report)
    {
        Directory.CreateDirectory(old);
        var undo = new Stack<Action>();
        try
        {
            foreach (var name in order)
            {
                var target = Path.Combine(folder, name);
                var aside = Path.Combine(old, name);
                if (Move(target, aside)) undo.Push(() => Move(aside, target));
            }
            foreach (var name in order.Reverse())
            {
                var target = Path.Combine(folder, name);
                var fresh = Path.Combine(next, name);
                if (Move(fresh, target)) undo.Push(() => Move(target, fresh));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try
            {
                while (undo.Count > 0) undo.Pop()();
            }
            catch (Exception again) when (again is IOException or UnauthorizedAccessException)
            {
                // The previous set is partly gone: never claim it is unchanged.
                DeleteQuietly(Path.Combine(folder, report));
                throw new ModulusException(Errors.OutputUnwritable, e, folder, $"{e.Message}; putting the previous output back failed too ({again.Message}), so the folder holds no complete image: publish again");
            }
            throw new ModulusException(Errors.OutputWriteFailed, e, folder, e.Message);
        }
    }

    /// <summary>Renames a file or folder; false when there is nothing to move.</summary>
    private static bool Move(string from, string to)
    {
        if (Directory.Exists(from)) Directory.Move(from, to);
        else if (File.Exists(from)) File.Move(from, to);
        else return false;
        return true;
    }

    /// <summary>
    /// Removes what a publish that died left in <paramref name="folder"/>: generation folders whose
    /// writer is gone, and hidden temporary files and folders of earlier versions once old enough
    /// that no publish can still be writing them. Failures are ignored: it is only tidying.
    /// </summary>
    public static void RemoveLeftovers(string folder, IReadOnlyList<string> names)
    {
        if (!Directory.Exists(folder)) return;
        var now = DateTime.UtcNow;
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos(".*"))
        {
            var name = entry.Name;
            bool leftover;
            if (name.StartsWith(NextPrefix, StringComparison.Ordinal) || name.StartsWith(OldPrefix, StringComparison.Ordinal))
                leftover = WriterProcess.IsGone(name[(name.IndexOf('.', 1) + 1)..]) || now - entry.LastWriteTimeUtc > TimeSpan.FromDays(1);
            else
                leftover = names.Any(n => name.StartsWith("." + n + ".", StringComparison.Ordinal) && (name.EndsWith(".tmp", StringComparison.Ordinal) || name.EndsWith(".old", StringComparison.Ordinal)))
                    && now - entry.LastWriteTimeUtc > AbandonedAfter;
            if (leftover) DeleteQuietly(entry.FullName);
        }
    }

    private static void DeleteQuietly(string path)
    {
        try
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
            else File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Tidying only: the next publish tries again.
        }
    }
}
