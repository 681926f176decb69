using Modulus.Publishing;

namespace Modulus.Tests.Npm;

/// <summary>Keeps what the installer reports, to check its warnings.</summary>
public sealed class RecordingLog : IPublishLog
{
    public List<string> Details { get; } = [];

    public List<string> Summaries { get; } = [];

    public void Detail(string message) => Details.Add(message);

    public void Summary(string message) => Summaries.Add(message);

    public List<string> Warnings { get; } = [];

    public void Warning(string code, string message) => Warnings.Add($"{code}: {message}");
}
