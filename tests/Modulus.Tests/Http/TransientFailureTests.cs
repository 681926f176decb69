using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Modulus.Diagnostics;
using Modulus.Http;

namespace Modulus.Tests.Http;

public class TransientFailureTests
{
    [TestCase(408, true, Description = "the server gave up waiting for the request")]
    [TestCase(429, true, Description = "throttled")]
    [TestCase(500, true, Description = "the server failed")]
    [TestCase(502, true, Description = "a gateway got no good answer")]
    [TestCase(503, true, Description = "overloaded or down for a moment")]
    [TestCase(504, true, Description = "a gateway timed out")]
    [TestCase(400, false, Description = "our request is wrong")]
    [TestCase(401, false, Description = "credentials are the caller's business")]
    [TestCase(403, false)]
    [TestCase(404, false, Description = "missing stays missing")]
    [TestCase(413, false, Description = "the registry answers it with chunks, not a retry")]
    [TestCase(501, false, Description = "the method is not supported")]
    [TestCase(505, false, Description = "the protocol version is not supported")]
    [TestCase(507, false, Description = "out of storage")]
    [TestCase(511, false, Description = "a captive portal wants a login")]
    public void Only_answers_that_say_not_now_are_transient(int status, bool transient) =>
        TransientFailure.IsTransient((HttpStatusCode)status).ShouldBe(transient);

    private static IEnumerable<TestCaseData> Exceptions()
    {
        yield return new TestCaseData(new HttpRequestException(HttpRequestError.ConnectionError, "refused", new SocketException(111)), true).SetDescription("nothing listening yet");
        yield return new TestCaseData(new HttpRequestException(HttpRequestError.ResponseEnded, "ended"), true).SetDescription("the connection closed mid-answer");
        yield return new TestCaseData(new IOException("Connection reset by peer", new SocketException(104)), true).SetDescription("a body read broke");
        yield return new TestCaseData(new TaskCanceledException("timed out", new TimeoutException()), true).SetDescription("HttpClient.Timeout, not the caller");
        yield return new TestCaseData(new HttpRequestException(HttpRequestError.NameResolutionError, "no such host"), false).SetDescription("a misspelt host stays misspelt");
        yield return new TestCaseData(new TaskCanceledException("cancelled"), false).SetDescription("a cancellation that is no timeout");
        yield return new TestCaseData(new FileNotFoundException("gone"), false).SetDescription("a local file, not the network");
        yield return new TestCaseData(new ModulusException(Errors.NpmPackageNotFound, "https://r.invalid/", "x"), false).SetDescription("a coded error is final");
        yield return new TestCaseData(new InvalidOperationException("bug"), false).SetDescription("anything else is final");
    }

    [TestCaseSource(nameof(Exceptions))]
    public void Connection_failures_and_timeouts_are_transient(Exception e, bool transient) =>
        (TransientFailure.From(e, attemptTimedOut: false, limit: null) is not null).ShouldBe(transient);

    [Test]
    public void A_refused_connection_and_a_timeout_are_worth_one_retry_only()
    {
        var refused = new HttpRequestException(HttpRequestError.ConnectionError, "refused", new SocketException((int)SocketError.ConnectionRefused));
        var reset = new HttpRequestException(HttpRequestError.ConnectionError, "reset", new SocketException((int)SocketError.ConnectionReset));

        TransientFailure.From(refused, attemptTimedOut: false, limit: null).ShouldNotBeNull().MaxRetries.ShouldBe(1);
        TransientFailure.From(new IOException("aborted"), attemptTimedOut: true, limit: TimeSpan.FromSeconds(1)).ShouldNotBeNull().MaxRetries.ShouldBe(1);
        TransientFailure.From(reset, attemptTimedOut: false, limit: null).ShouldNotBeNull().MaxRetries.ShouldBeNull("a reset is retried as the policy allows");
    }

    [Test]
    public void A_refused_certificate_is_final()
    {
        var refused = new HttpRequestException(HttpRequestError.SecureConnectionError, "ssl",
            new System.Security.Authentication.AuthenticationException("The remote certificate was rejected by the provided RemoteCertificateValidationCallback."));
        var broken = new HttpRequestException(HttpRequestError.SecureConnectionError, "ssl", new IOException("reset during the handshake"));

        TransientFailure.From(refused, attemptTimedOut: false, limit: null).ShouldBeNull();
        TransientFailure.From(broken, attemptTimedOut: false, limit: null).ShouldNotBeNull();
    }

    [Test]
    public void Whatever_an_attempt_throws_when_its_time_limit_fires_is_a_timeout()
    {
        var failure = TransientFailure.From(new ObjectDisposedException("stream"), attemptTimedOut: true, limit: TimeSpan.FromSeconds(60)).ShouldNotBeNull();
        failure.Reason.ShouldBe("no complete answer within 60 seconds");
    }

    [Test]
    public void Retry_After_in_seconds_is_read()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7));

        TransientFailure.RetryAfterOf(response, TimeProvider.System).ShouldBe(TimeSpan.FromSeconds(7));
    }

    [TestCase(90, 90, Description = "a date 90 s ahead")]
    [TestCase(-30, 0, Description = "a date already past means now")]
    public void Retry_After_as_an_HTTP_date_is_read_against_the_clock(int secondsAhead, int expected)
    {
        var now = new DateTimeOffset(2025, 11, 1, 12, 0, 0, TimeSpan.Zero);
        using var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        response.Headers.TryAddWithoutValidation("Retry-After", now.AddSeconds(secondsAhead).ToString("r")).ShouldBeTrue();

        TransientFailure.RetryAfterOf(response, new FixedClock(now)).ShouldBe(TimeSpan.FromSeconds(expected));
    }

    [Test]
    public void No_Retry_After_is_no_wish()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        TransientFailure.RetryAfterOf(response, TimeProvider.System).ShouldBeNull();
    }

    /// <summary>A clock that always reads the same time.</summary>
    internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
