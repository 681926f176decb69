using Modulus.Layers;
using Modulus.Publishing;

namespace Modulus.Tests.Npm;

/// <summary>Keeps what the installer reports, to check its warnings.</summary>
public sealed class RecordingLog : IPublishLog
{
    public List<string> Details { get; } = [];

    public List<string> Summaries { get; } = [];

    public void Detail(string message) => Details.Add(message);

    public void Summary(string message) => Summaries.Add(message);

    public List<string> Progresses { get; } = [];

    public void Progress(string message) => Progresses.Add(message);

    public List<string> Warnings { get; } = [];

    public void Warning(string code, string message) => Warnings.Add($"{code}: {message}");

    /// <summary>Contract findings as "CODE: message"; the installer reports none.</summary>
    public List<string> Findings { get; } = [];

    public void Warning(string code, string message, IReadOnlyList<UnixPath> paths, SourceLocation location) => Findings.Add($"{code}: {message}");

    public void Error(string code, string message, IReadOnlyList<UnixPath> paths, SourceLocation location) => Findings.Add($"{code}: {message}");
}
