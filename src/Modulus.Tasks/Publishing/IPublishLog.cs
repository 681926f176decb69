using Modulus.Layers;

namespace Modulus.Publishing;

/// <summary>Where the publisher reports progress; the MSBuild task forwards it to the build log.</summary>
public interface IPublishLog
{
    /// <summary>A step, shown at normal verbosity.</summary>
    void Detail(string message);

    /// <summary>
    /// How far a long step has come ("Downloading Debian packages: 12 of 80 packages, ..."), shown
    /// at normal verbosity. Callers throttle these lines (<see cref="ActivityProgress"/>), so a log
    /// shows each one it gets.
    /// </summary>
    void Progress(string message);

    /// <summary>The start line and the outcome, shown at every verbosity.</summary>
    void Summary(string message);

    /// <summary>Something the user should fix though the publish goes on, with its MOD code.</summary>
    void Warning(string code, string message);

    /// <summary>A problem that does not stop the publish, with its code and the paths in the image it concerns.</summary>
    void Warning(string code, string message, IReadOnlyList<UnixPath> paths, SourceLocation location);

    /// <summary>A problem that fails the publish; the publisher stops before writing any output.</summary>
    void Error(string code, string message, IReadOnlyList<UnixPath> paths, SourceLocation location);
}
