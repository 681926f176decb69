using Modulus.Diagnostics;

namespace Modulus.Tests.TestSupport;

/// <summary>
/// Keeps what the core tells a build log, by importance, and its diagnostics; safe across threads
/// (blobs move in parallel). Given <paramref name="failAt"/>, a diagnostic at least that severe
/// fails the test at once: a publish that must be clean says so.
/// </summary>
public sealed class RecordingLog(DiagnosticSeverity? failAt = null) : IBuildLog
{
    private readonly List<(Importance Importance, string Message)> _lines = [];
    private readonly List<Diagnostic> _diagnostics = [];

    /// <summary>A log that fails the test on any warning or error.</summary>
    public static RecordingLog Clean() => new(DiagnosticSeverity.Warning);

    public IReadOnlyList<string> Details => Lines(Importance.Detail);

    public IReadOnlyList<string> Progresses => Lines(Importance.Progress);

    public IReadOnlyList<string> Summaries => Lines(Importance.Summary);

    public IReadOnlyList<Diagnostic> Diagnostics
    {
        get { lock (_diagnostics) return _diagnostics.ToArray(); }
    }

    /// <summary>The warnings as a message that carries its code reads: "MOD3115: ...".</summary>
    public IReadOnlyList<string> Warnings =>
        Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Warning).Select(d => d.ToString()).ToArray();

    public void Write(Importance importance, string message)
    {
        lock (_lines) _lines.Add((importance, message));
    }

    public void Report(Diagnostic diagnostic)
    {
        if (failAt is { } severity && diagnostic.Severity >= severity) Assert.Fail($"unexpected {diagnostic.Severity} {diagnostic}");
        lock (_diagnostics) _diagnostics.Add(diagnostic);
    }

    public void Clear()
    {
        lock (_lines) _lines.Clear();
        lock (_diagnostics) _diagnostics.Clear();
    }

    private string[] Lines(Importance importance)
    {
        lock (_lines) return _lines.Where(l => l.Importance == importance).Select(l => l.Message).ToArray();
    }
}
