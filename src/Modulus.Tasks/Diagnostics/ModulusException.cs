namespace Modulus.Diagnostics;

/// <summary>
/// A failure the user can act on. The message starts with the code; <see cref="File"/> and
/// <see cref="Line"/> locate the input that caused it when known, so MSBuild can point at it.
/// </summary>
public sealed class ModulusException : Exception
{
    public ModulusException(ErrorCode error, params object?[] args)
        : this(error, null, args)
    {
    }

    public ModulusException(ErrorCode error, Exception? inner, params object?[] args)
        : base(error.Format(args), inner)
    {
        Error = error;
    }

    public ErrorCode Error { get; }

    public string Code => Error.Code;

    /// <summary>The message without its leading code, for loggers that print the code apart.</summary>
    public string Text => Message[(Code.Length + 2)..];

    public string? File { get; init; }

    public int Line { get; init; }

    /// <summary>The publish step that failed ("Debian", "Contract", ...), when the error came from one; not part of the message.</summary>
    public string? Step { get; init; }

    /// <summary>The same error, located. The message is kept as formatted: the arguments are gone.</summary>
    public ModulusException At(string? file, int line = 0) => new(Error, Message, InnerException) { File = file, Line = line, Step = Step };

    /// <summary>The same error, said to come from <paramref name="step"/>.</summary>
    public ModulusException InStep(string step) => new(Error, Message, InnerException) { File = File, Line = Line, Step = step };

    private ModulusException(ErrorCode error, string formattedMessage, Exception? inner)
        : base(formattedMessage, inner)
    {
        Error = error;
    }
}
