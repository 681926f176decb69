using System.Net;

namespace Modulus.Registry;

/// <summary>
/// A failure worth another attempt: a 429, a 5xx, a reset connection or a timeout.
/// <see cref="Reason"/> describes it without any header or body that could hold a secret.
/// </summary>
internal sealed class TransientFailure(string reason, TimeSpan? retryAfter = null, Exception? inner = null) : Exception(reason, inner)
{
    public string Reason { get; } = reason;

    /// <summary>What the registry asked for with Retry-After, if anything.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>Exponential backoff with jitter, bounded in attempts and in delay.</summary>
internal sealed class RetryPolicy(RegistryOptions options)
{
    public int MaxAttempts => Math.Max(1, options.MaxAttempts);

    /// <summary>
    /// The wait after failed attempt number <paramref name="attempt"/> (1-based): base * 2^(n-1)
    /// plus up to half again at random, so parallel transfers do not retry in lockstep; never
    /// less than a Retry-After the registry sent, never more than the configured maximum.
    /// </summary>
    public TimeSpan DelayAfter(int attempt, TimeSpan? retryAfter)
    {
        var exponential = options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 20));
        var jittered = exponential * (1 + Random.Shared.NextDouble() * 0.5);
        var delay = Math.Max(jittered, retryAfter?.TotalMilliseconds ?? 0);
        return TimeSpan.FromMilliseconds(Math.Min(delay, options.RetryMaxDelay.TotalMilliseconds));
    }

    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout
        || (int)status >= 500 && status is not (HttpStatusCode.NotImplemented or HttpStatusCode.HttpVersionNotSupported);

    /// <summary>Retry-After as seconds or as a date, whichever the registry sent.</summary>
    public static TimeSpan? RetryAfterOf(HttpResponseMessage response, TimeProvider time)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta;
        if (header?.Date is { } date) return date - time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        return null;
    }
}
