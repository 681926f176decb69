namespace Modulus.Registry;

/// <summary>
/// One request to a registry's API. <see cref="Content"/> is a factory because a request is sent
/// again after a new token or on retry, and an HttpContent can be sent only once.
/// </summary>
internal sealed record RegistryRequest(HttpMethod Method, string Path, string Repository, bool Push, string What)
{
    /// <summary>The body, made anew for each send.</summary>
    public Func<HttpContent>? Content { get; init; }

    public IReadOnlyList<string> Accept { get; init; } = [];

    /// <summary>Blob bytes this request moves: they lengthen its timeout.</summary>
    public long TransferBytes { get; init; }

    /// <summary>Repositories this request also reads from (a cross-repository mount's source).</summary>
    public IReadOnlyList<string> AlsoPulls { get; init; } = [];

    /// <summary>Return as soon as the headers arrived; the caller reads the body (and owns its timeout).</summary>
    public bool StreamResponse { get; init; }

    public string Action => Push ? "push" : "pull";

    /// <summary>The token scopes this request needs.</summary>
    public IReadOnlyList<string> Scopes =>
        [$"repository:{Repository}:{(Push ? "pull,push" : "pull")}", .. AlsoPulls.Select(r => $"repository:{r}:pull")];
}
