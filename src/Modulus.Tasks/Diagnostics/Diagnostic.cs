namespace Modulus.Diagnostics;

/// <summary>Whether a diagnostic fails the build or only tells the user something to fix.</summary>
public enum DiagnosticSeverity { Warning, Error }

/// <summary>
/// One coded finding as a build log shows it: the code, the text after it, how severe it is and the
/// input it points at (<see cref="SourceLocation.Unknown"/> when no single input caused it: a log
/// then shows it at the project being built).
/// </summary>
public sealed record Diagnostic(ErrorCode Error, DiagnosticSeverity Severity, string Text, SourceLocation Location)
{
    public string Code => Error.Code;

    /// <summary>
    /// The publish step it came from ("Debian", "Validate", ...), when known: not part of the text,
    /// for the detailed log, so a bug report says which step failed.
    /// </summary>
    public string? Step { get; init; }

    public static Diagnostic Warning(ErrorCode error, SourceLocation location, params object?[] args) =>
        new(error, DiagnosticSeverity.Warning, error.Text(args), location);

    public static Diagnostic Failure(ErrorCode error, SourceLocation location, params object?[] args) =>
        new(error, DiagnosticSeverity.Error, error.Text(args), location);

    /// <summary>What an exception says, with its location and step; a warning when the work went on without what failed.</summary>
    public static Diagnostic Of(ModulusException e, DiagnosticSeverity severity = DiagnosticSeverity.Error) =>
        new(e.Error, severity, e.Text, e.File is null ? SourceLocation.Unknown : new SourceLocation(e.File, e.Line)) { Step = e.Step };

    /// <summary>"MOD3017: ...", as a message that carries its own code reads.</summary>
    public override string ToString() => $"{Code}: {Text}";
}
