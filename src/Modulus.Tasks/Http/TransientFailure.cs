using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using Modulus.Diagnostics;

namespace Modulus.Http;

/// <summary>
/// A failure worth another attempt, and the one definition of which failures are: every HTTP
/// client in Modulus (registry, npm, Debian) asks here. <see cref="Reason"/> describes the failure
/// without any header or body that could hold a secret.
/// </summary>
/// <remarks>
/// Transient are answers that say "not now" rather than "no": 408 (the server gave up waiting for
/// us), 429 (throttled), 500, 502, 503 and 504 (the server or a gateway in front of it failed or is
/// overloaded). Other 5xx answers describe a state another attempt seconds later will not change:
/// 501 and 505 (the server does not support the method or protocol), 507 (out of storage), 508 (a
/// loop), 511 (a captive portal wants a login). Transient too are a connection that fails or breaks
/// (refused, reset, closed before the answer was complete) and an attempt that times out while the
/// caller still waits, though a refused connection and a timed-out attempt only once (see
/// <see cref="MaxRetries"/>); a host name that does not resolve is final, as a misspelt name stays
/// misspelt, and so is a TLS handshake that refused the certificate. The caller's own
/// cancellation is never retried.
/// </remarks>
public sealed class TransientFailure(string reason, TimeSpan? retryAfter = null, Exception? inner = null) : Exception(reason, inner)
{
    public string Reason => Message;

    /// <summary>What the server asked for with Retry-After, if anything.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>How many attempts were made when the policy gave up; 0 while it is still trying.</summary>
    public int Attempts { get; internal set; }

    /// <summary>
    /// At most this many further attempts after a failure of this kind, whatever the policy
    /// allows; null leaves it to the policy. A refused connection (nothing listens) and an attempt
    /// that timed out (a server that does not answer) get one: enough for a registry that was
    /// restarting or a connection that hung, without repeating a long wait five times.
    /// </summary>
    public int? MaxRetries { get; init; }

    public static bool IsTransient(HttpStatusCode status) => (int)status is 408 or 429 or 500 or 502 or 503 or 504;

    /// <summary>The failure an answer with a transient status stands for, carrying its Retry-After.</summary>
    public static TransientFailure Of(HttpResponseMessage response, string reason, TimeProvider time) =>
        new(reason, RetryAfterOf(response, time));

    /// <summary>Retry-After as seconds or as an HTTP date, whichever the server sent; a date in the past means now.</summary>
    public static TimeSpan? RetryAfterOf(HttpResponseMessage response, TimeProvider time)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta;
        if (header?.Date is { } date) return date - time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        return null;
    }

    /// <summary>
    /// The transient failure an exception thrown by one attempt stands for, or null when it is
    /// final. <paramref name="attemptTimedOut"/> says the attempt's own time limit
    /// (<paramref name="limit"/>) fired while the caller still waited.
    /// </summary>
    internal static TransientFailure? From(Exception e, bool attemptTimedOut, TimeSpan? limit)
    {
        if (e is ModulusException) return null;
        // Whatever a cancelled attempt throws (a disposed stream, an aborted read), the cause is the time limit.
        if (attemptTimedOut && limit is { } seconds)
            return new TransientFailure(FormattableString.Invariant($"no complete answer within {seconds.TotalSeconds:0} seconds"), null, e) { MaxRetries = 1 };
        // A server that refused our certificate (or wants one) refuses it again on the next attempt.
        if (RefusesClientCertificate(e)) return null;
        return e switch
        {
            HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => null,
            // A certificate refused (or a handshake that is not TLS at all) stays so on the next attempt.
            HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError, InnerException: AuthenticationException } => null,
            HttpRequestException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionRefused } } request =>
                new TransientFailure(Describe(request), null, request) { MaxRetries = 1 },
            HttpRequestException request => new TransientFailure(Describe(request), null, request),
            // HttpClient.Timeout fired: the caller's token did not.
            OperationCanceledException { InnerException: TimeoutException } => new TransientFailure($"the request timed out ({e.Message})", null, e) { MaxRetries = 1 },
            FileNotFoundException or DirectoryNotFoundException or PathTooLongException => null,
            IOException => new TransientFailure($"the connection broke ({e.Message})", null, e),
            _ => null,
        };
    }

    /// <summary>
    /// Whether <paramref name="e"/> is a TLS alert by which the server refused the client's
    /// certificate or the lack of one ("alert certificate required", "alert bad certificate",
    /// "alert unknown ca", as OpenSSL words them). In TLS 1.3 it comes with the first read, after a
    /// handshake that seemed to succeed.
    /// </summary>
    public static bool RefusesClientCertificate(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
            if (inner.Message.Contains("alert", StringComparison.OrdinalIgnoreCase)
                && (inner.Message.Contains("certificate", StringComparison.OrdinalIgnoreCase) || inner.Message.Contains("unknown ca", StringComparison.OrdinalIgnoreCase)))
                return true;
        return false;
    }

    /// <summary>What went wrong with a request, in words, with the socket's own detail.</summary>
    public static string Describe(HttpRequestException e)
    {
        var what = e.HttpRequestError switch
        {
            HttpRequestError.ConnectionError => "the connection failed",
            HttpRequestError.SecureConnectionError => "the TLS handshake failed",
            HttpRequestError.ResponseEnded => "the connection closed before the answer was complete",
            HttpRequestError.InvalidResponse => "the answer was not valid HTTP",
            _ => "the request failed",
        };
        var detail = e.InnerException?.Message ?? e.Message;
        return $"{what} ({detail})";
    }
}
