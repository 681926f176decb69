using Modulus.Layers;
using Modulus.Publishing;

namespace Modulus.Tests.Npm;

/// <summary>Keeps what the installer reports, to check its warnings.</summary>
public sealed class RecordingLog : IPublishLog
{
    public List<string> Details { get; } = [];

    public List<string> Summaries { get; } = [];

    public List<string> Problems { get; } = [];

    public void Detail(string message) => Details.Add(message);

    public void Summary(string message) => Summaries.Add(message);

    public void Warning(string code, string message) => Problems.Add($"warning {code}: {message}");

    public void Warning(string code, string message, IReadOnlyList<UnixPath> paths, SourceLocation location) => Warning(code, message);

    public void Error(string code, string message, IReadOnlyList<UnixPath> paths, SourceLocation location) => Problems.Add($"error {code}: {message}");
}
