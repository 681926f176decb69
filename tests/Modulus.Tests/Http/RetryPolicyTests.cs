using System.Net;
using System.Net.Sockets;
using Modulus.Http;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Http;

public class RetryPolicyTests
{
    private readonly List<TimeSpan> _waits = [];
    private readonly RecordingLog _log = new();

    [SetUp]
    public void Forget()
    {
        _waits.Clear();
        _log.Clear();
    }

    /// <summary>A policy that records its waits instead of sleeping, and its log lines.</summary>
    private RetryPolicy Policy(int attempts = 3) => new()
    {
        MaxAttempts = attempts,
        BaseDelay = TimeSpan.FromSeconds(1),
        MaxDelay = TimeSpan.FromSeconds(10),
        Wait = (delay, _) =>
        {
            _waits.Add(delay);
            return Task.CompletedTask;
        },
        Log = _log,
    };

    [TestCase(1, 1.0, 1.5)]
    [TestCase(2, 2.0, 3.0)]
    [TestCase(3, 4.0, 6.0)]
    [TestCase(9, 10.0, 10.0, Description = "capped at the maximum")]
    public void Delays_double_with_up_to_half_again_of_jitter(int attempt, double atLeast, double atMost)
    {
        for (var i = 0; i < 50; i++)
            Policy().DelayAfter(attempt, null).TotalSeconds.ShouldBeInRange(atLeast, atMost);
    }

    [Test]
    public void Retry_After_is_honoured_up_to_the_maximum()
    {
        Policy().DelayAfter(1, TimeSpan.FromSeconds(7)).ShouldBe(TimeSpan.FromSeconds(7));
        Policy().DelayAfter(1, TimeSpan.FromMinutes(5)).ShouldBe(TimeSpan.FromSeconds(10));
    }

    [Test]
    public async Task A_transient_failure_is_tried_again_after_the_Retry_After_and_told()
    {
        var calls = 0;

        var answer = await Policy().RunAsync("Fetching x at host", _ =>
            ++calls == 1 ? throw new TransientFailure("HTTP 429 Too Many Requests", TimeSpan.FromSeconds(4)) : Task.FromResult("ok"), CancellationToken.None);

        answer.ShouldBe("ok");
        calls.ShouldBe(2);
        _waits.ShouldBe([TimeSpan.FromSeconds(4)]);
        _log.Details.ShouldBe(["Fetching x at host: HTTP 429 Too Many Requests; attempt 2 of 3 in 4.0s."]);
    }

    [Test]
    public async Task When_the_attempts_run_out_the_last_failure_is_thrown_with_their_count()
    {
        var calls = 0;

        var failure = await Should.ThrowAsync<TransientFailure>(() => Policy(attempts: 3).RunAsync<bool>("x", _ =>
            throw new HttpRequestException(HttpRequestError.ConnectionError, $"refused {++calls}"), CancellationToken.None));

        calls.ShouldBe(3);
        failure.Attempts.ShouldBe(3);
        failure.InnerException!.Message.ShouldBe("refused 3");
        _waits.Count.ShouldBe(2, "no wait after the last attempt");
    }

    [Test]
    public async Task A_final_failure_propagates_at_once()
    {
        var calls = 0;

        await Should.ThrowAsync<HttpRequestException>(() => Policy().RunAsync<bool>("x", _ =>
        {
            calls++;
            throw new HttpRequestException(HttpRequestError.NameResolutionError, "no such host");
        }, CancellationToken.None));

        calls.ShouldBe(1);
        _waits.ShouldBeEmpty();
    }

    [Test]
    public async Task The_callers_cancellation_is_not_retried()
    {
        using var cancel = new CancellationTokenSource();
        var calls = 0;

        await Should.ThrowAsync<OperationCanceledException>(() => Policy().RunAsync<bool>("x", async token =>
        {
            calls++;
            await cancel.CancelAsync();
            token.ThrowIfCancellationRequested();
            return true;
        }, cancel.Token));

        calls.ShouldBe(1);
        _waits.ShouldBeEmpty();
    }

    [Test]
    public async Task A_transient_failure_as_the_caller_cancels_is_not_retried()
    {
        using var cancel = new CancellationTokenSource();
        var calls = 0;

        await Should.ThrowAsync<OperationCanceledException>(() => Policy().RunAsync<bool>("x", async _ =>
        {
            calls++;
            await cancel.CancelAsync();
            throw new TransientFailure("HTTP 503");
        }, cancel.Token));

        calls.ShouldBe(1);
    }

    [Test]
    public async Task An_attempt_that_outlasts_its_time_limit_is_tried_again()
    {
        var calls = 0;

        var answer = await Policy().RunAsync("Pulling", async token =>
        {
            if (++calls == 1) await Task.Delay(Timeout.Infinite, token);
            return HttpStatusCode.OK;
        }, CancellationToken.None, attemptTimeout: TimeSpan.FromMilliseconds(50));

        answer.ShouldBe(HttpStatusCode.OK);
        _log.Details.ShouldHaveSingleItem().ShouldContain("no complete answer within 0 seconds");
    }
    [Test]
    public async Task A_refused_connection_is_tried_once_more_however_many_attempts_the_policy_allows()
    {
        var calls = 0;

        var failure = await Should.ThrowAsync<TransientFailure>(() => Policy(attempts: 5).RunAsync<bool>("x", _ =>
        {
            calls++;
            throw new HttpRequestException(HttpRequestError.ConnectionError, "refused", new SocketException((int)SocketError.ConnectionRefused));
        }, CancellationToken.None));

        calls.ShouldBe(2);
        failure.Attempts.ShouldBe(2);
        _log.Details.ShouldHaveSingleItem().ShouldContain("attempt 2 of 2");
    }

    [Test]
    public async Task A_timed_out_attempt_is_tried_once_more_after_earlier_failures_too()
    {
        var calls = 0;

        var failure = await Should.ThrowAsync<TransientFailure>(() => Policy(attempts: 5).RunAsync<bool>("x", async token =>
        {
            if (++calls == 1) throw new TransientFailure("HTTP 503");
            await Task.Delay(Timeout.Infinite, token);
            return true;
        }, CancellationToken.None, attemptTimeout: TimeSpan.FromMilliseconds(50)));

        calls.ShouldBe(3, "the 503, the attempt that timed out, and one more");
        failure.Reason.ShouldStartWith("no complete answer within");
    }

    [Test]
    public async Task The_deadline_abandons_the_attempt_under_way()
    {
        var calls = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var failure = await Should.ThrowAsync<TransientFailure>(() => Policy(attempts: 5).RunAsync<bool>("x", async token =>
        {
            calls++;
            await Task.Delay(Timeout.Infinite, token);
            return true;
        }, CancellationToken.None, attemptTimeout: TimeSpan.FromMinutes(1), deadline: TimeSpan.FromMilliseconds(200)));

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
        calls.ShouldBe(1);
        failure.Attempts.ShouldBe(1);
        failure.Reason.ShouldContain("deadline");
    }

    [Test]
    public async Task No_wait_that_would_outlast_the_deadline_begins()
    {
        var calls = 0;

        var failure = await Should.ThrowAsync<TransientFailure>(() => Policy(attempts: 5).RunAsync<bool>("x", _ =>
        {
            calls++;
            throw new TransientFailure("HTTP 503", retryAfter: TimeSpan.FromSeconds(8));
        }, CancellationToken.None, deadline: TimeSpan.FromSeconds(5)));

        calls.ShouldBe(1);
        _waits.ShouldBeEmpty();
        failure.Reason.ShouldBe("HTTP 503", "the registry's own answer, not the deadline, is what went wrong");
    }
}
