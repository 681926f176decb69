using System.Diagnostics;
using Modulus.Diagnostics;

namespace Modulus.Http;

/// <summary>
/// How often and how patiently an HTTP client tries again: up to <see cref="MaxAttempts"/>
/// attempts, waiting an exponentially growing, jittered delay between them, or what the server
/// asked for with Retry-After, never longer than <see cref="MaxDelay"/>. What counts as worth
/// another attempt is <see cref="TransientFailure"/>'s to say.
/// </summary>
public sealed record RetryPolicy
{
    /// <summary>Attempts before giving up; 1 disables retries.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>The first retry delay; each further retry doubles it, plus up to 50% random jitter.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between attempts, also the cap on a server's Retry-After.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock that dates a Retry-After and times the waits.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Waits between attempts; replaced in tests, which must not sleep.</summary>
    public Func<TimeSpan, CancellationToken, Task>? Wait { get; init; }

    /// <summary>Told one detail line per retry: the client's own log. Never given a secret.</summary>
    public IBuildLog? Log { get; init; }

    /// <summary>
    /// Runs <paramref name="attempt"/> until it succeeds, fails for good, or the attempts run out;
    /// then the last <see cref="TransientFailure"/> is thrown with <see cref="TransientFailure.Attempts"/>
    /// set. An attempt reports a transient answer by throwing <see cref="TransientFailure.Of"/>;
    /// exceptions are judged by <see cref="TransientFailure"/>, and any other propagates at once.
    /// An attempt must start over when run again: a body that broke mid-way is read again from
    /// its start, so only callers that can restart (a download verified by its digest) stream.
    /// <paramref name="attemptTimeout"/>, when given, cancels each attempt's token after that long;
    /// <paramref name="deadline"/>, when given, bounds all attempts and the waits between them:
    /// when it passes, the attempt under way is abandoned, and no wait that would outlast it begins.
    /// A failure that limits its own retries (<see cref="TransientFailure.MaxRetries"/>) lowers the
    /// attempts left. <paramref name="what"/> opens each log line ("Pulling blob ... at registry").
    /// </summary>
    public async Task<T> RunAsync<T>(string what, Func<CancellationToken, Task<T>> attempt, CancellationToken cancellationToken,
        TimeSpan? attemptTimeout = null, TimeSpan? deadline = null)
    {
        var attempts = Math.Max(1, MaxAttempts);
        var started = Stopwatch.GetTimestamp();
        using var overall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (deadline is { } whole) overall.CancelAfter(whole);
        for (var n = 1; ; n++)
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(overall.Token);
            if (attemptTimeout is { } timeout) limit.CancelAfter(timeout);
            TransientFailure failure;
            try
            {
                return await attempt(limit.Token);
            }
            catch (TransientFailure f)
            {
                failure = f;
            }
            catch (Exception e) when (e is not ModulusException && CodedCause(e) is { } cause)
            {
                // A request body's own coded failure (a cached blob found damaged while it was
                // sent) reaches here wrapped as a failed request; no attempt can cure it.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(cause);
                throw;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && overall.IsCancellationRequested && e is not ModulusException)
            {
                failure = new TransientFailure(FormattableString.Invariant($"no complete answer within the deadline of {deadline!.Value.TotalSeconds:0} seconds for all attempts"), null, e);
                attempts = n;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested
                && TransientFailure.From(e, limit.IsCancellationRequested, attemptTimeout) is { } f)
            {
                failure = f;
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (failure.MaxRetries is { } retries) attempts = Math.Min(attempts, n + retries);
            var delay = n < attempts ? DelayAfter(n, failure.RetryAfter) : TimeSpan.Zero;
            if (deadline is { } left && Stopwatch.GetElapsedTime(started) + delay >= left) attempts = n;
            if (n >= attempts)
            {
                failure.Attempts = n;
                throw failure;
            }
            Log?.Detail(FormattableString.Invariant($"{what}: {failure.Reason}; attempt {n + 1} of {attempts} in {delay.TotalSeconds:0.0}s."));
            await (Wait ?? WaitAsync)(delay, cancellationToken);
        }
    }

    /// <summary>The coded failure an exception wraps, at any depth, or null.</summary>
    private static ModulusException? CodedCause(Exception e)
    {
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
            if (inner is ModulusException coded) return coded;
        return null;
    }

    /// <summary>
    /// The wait after failed attempt number <paramref name="attempt"/> (1-based): base * 2^(n-1)
    /// plus up to half again at random, so parallel transfers do not retry in lockstep; never
    /// less than a Retry-After the server sent, never more than <see cref="MaxDelay"/>.
    /// </summary>
    public TimeSpan DelayAfter(int attempt, TimeSpan? retryAfter)
    {
        var exponential = BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 20));
        var jittered = exponential * (1 + Random.Shared.NextDouble() * 0.5);
        var delay = Math.Max(jittered, retryAfter?.TotalMilliseconds ?? 0);
        return TimeSpan.FromMilliseconds(Math.Min(delay, MaxDelay.TotalMilliseconds));
    }

    private Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken) => Task.Delay(delay, Time, cancellationToken);
}
