using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Modulus.Diagnostics;

namespace Modulus.MSBuild;

/// <summary>
/// The one adapter from the core's <see cref="IBuildLog"/> to MSBuild's log. A diagnostic with no
/// known input is shown at <paramref name="projectFile"/>, the project being built: the user edits
/// it, not the SDK's targets. The step a diagnostic came from goes to the detailed log only.
/// </summary>
internal sealed class TaskBuildLog(TaskLoggingHelper log, string? projectFile) : IBuildLog
{
    /// <summary>Whether a warning was reported: a publish that warns must warn again, so it is never remembered as up to date.</summary>
    public bool Warned { get; private set; }

    public void Write(Importance importance, string message) =>
        // Detail and progress are Normal: shown from `-v n` up, not at the minimal verbosity `dotnet publish` has by default.
        log.LogMessage(importance == Importance.Summary ? MessageImportance.High : MessageImportance.Normal, message);

    public void Report(Diagnostic diagnostic)
    {
        var (file, line) = diagnostic.Location.File is { } at ? (at, diagnostic.Location.Line) : (projectFile, 0);
        var (shown, text) = ItemLocator.Printable(file, diagnostic.Text);
        if (diagnostic.Severity == DiagnosticSeverity.Error) log.LogError(null, diagnostic.Code, null, shown, line, 0, 0, 0, text);
        else
        {
            Warned = true;
            log.LogWarning(null, diagnostic.Code, null, shown, line, 0, 0, 0, text);
        }
        if (diagnostic.Step is { } step) log.LogMessage(MessageImportance.Low, $"{diagnostic.Code} came from the publish step '{step}'.");
    }
}
