namespace Modulus.Diagnostics;

/// <summary>How much a message matters, which decides the verbosity that shows it.</summary>
public enum Importance
{
    /// <summary>A step ("Writing the OCI layout ..."), a retry, a fallback: shown at normal verbosity.</summary>
    Detail,

    /// <summary>
    /// How far a long activity has come ("Downloading Debian packages: 12 of 80 packages, ..."),
    /// shown at normal verbosity. Callers throttle these lines (<see cref="ActivityProgress"/>), so
    /// a log shows each one it gets.
    /// </summary>
    Progress,

    /// <summary>The start line and the outcome, shown at every verbosity but quiet.</summary>
    Summary,
}

/// <summary>
/// The one channel through which the core tells about a build: lines of text at an importance,
/// and coded <see cref="Diagnostic"/>s (warnings and errors) with their locations. The MSBuild task
/// forwards it to the build log; a library caller or a test gives its own.
/// Implementations must accept calls from several threads (blobs move in parallel).
/// </summary>
public interface IBuildLog
{
    void Write(Importance importance, string message);

    void Report(Diagnostic diagnostic);
}

/// <summary>The shorthands every caller of an <see cref="IBuildLog"/> uses, and the log that says nothing.</summary>
public static class BuildLog
{
    /// <summary>A log that drops everything: for callers that want no lines and read their warnings elsewhere.</summary>
    public static IBuildLog None { get; } = new Silent();

    public static void Detail(this IBuildLog log, string message) => log.Write(Importance.Detail, message);

    public static void Progress(this IBuildLog log, string message) => log.Write(Importance.Progress, message);

    public static void Summary(this IBuildLog log, string message) => log.Write(Importance.Summary, message);

    /// <summary>Reports <paramref name="error"/>'s text with <paramref name="args"/> as a warning at <paramref name="location"/>.</summary>
    public static void Warn(this IBuildLog log, ErrorCode error, SourceLocation location, params object?[] args) =>
        log.Report(Diagnostic.Warning(error, location, args));

    private sealed class Silent : IBuildLog
    {
        public void Write(Importance importance, string message)
        {
        }

        public void Report(Diagnostic diagnostic)
        {
        }
    }
}
