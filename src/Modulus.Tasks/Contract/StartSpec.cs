using Modulus.Diagnostics;
using Modulus.Layers;

namespace Modulus.Contract;

/// <summary>
/// Where the image's <c>start</c> comes from: generated from a start command, or a script the
/// project supplies, copied verbatim.
/// </summary>
public abstract record StartSpec
{
    private StartSpec()
    {
    }

    /// <summary>
    /// A shell command line run by the generated <c>start</c> in <see cref="WorkingDirectory"/>
    /// (the standard's app directory when null). <c>$EXEC_ARGS</c> is appended unless the command
    /// places it itself, as in <c>node $EXEC_ARGS server.js</c>.
    /// </summary>
    public sealed record Command(string CommandLine, UnixPath? WorkingDirectory) : StartSpec;

    /// <summary>A start script from the project, written to the image as it is with mode 0755.</summary>
    public sealed record Script(FileContent Content) : StartSpec;

    /// <summary>
    /// The base run image's start, for an image that names no command or script: it runs the
    /// application's own executable <c>start</c> in the app directory, else prints one ERROR line
    /// and exits non-zero. Language images replace it with their own.
    /// </summary>
    public sealed record AppStart : StartSpec;

    public static StartSpec Generic { get; } = new AppStart();

    public static Command FromCommand(string commandLine, UnixPath? workingDirectory = null)
    {
        if (string.IsNullOrWhiteSpace(commandLine))
            throw new ModulusException(Errors.ContractInvalidStartCommand, commandLine, "it is empty");
        if (commandLine.Contains('\n') || commandLine.Contains('\r') || commandLine.Contains('\0'))
            throw new ModulusException(Errors.ContractInvalidStartCommand, commandLine, "it spans more than one line");
        return new Command(commandLine.Trim(), workingDirectory);
    }

    public static StartSpec FromScript(string hostPath) =>
        File.Exists(hostPath)
            ? new Script(FileContent.FromFile(hostPath))
            : throw new ModulusException(Errors.ContractStartScriptMissing, hostPath);
}
