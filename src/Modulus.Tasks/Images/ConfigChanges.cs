namespace Modulus.Images;

/// <summary>
/// Changes to an image config. Null means "keep the base image's value"; an empty list clears it.
/// Environment variables, labels, volumes and ports are merged into the base's.
/// </summary>
public sealed record ConfigChanges
{
    /// <summary>Variables to set, in order; a variable already in the base keeps its position.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Environment { get; init; } = [];

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Labels of the base to drop (before <see cref="Labels"/> are set): those that describe the base alone.</summary>
    public IReadOnlyList<string> RemovedLabels { get; init; } = [];

    public IReadOnlyList<string> Volumes { get; init; } = [];

    /// <summary>Ports as "8080/tcp".</summary>
    public IReadOnlyList<string> ExposedPorts { get; init; } = [];

    public string? User { get; init; }

    public string? WorkingDir { get; init; }

    public IReadOnlyList<string>? Entrypoint { get; init; }

    public IReadOnlyList<string>? Cmd { get; init; }

    public string? StopSignal { get; init; }
}
