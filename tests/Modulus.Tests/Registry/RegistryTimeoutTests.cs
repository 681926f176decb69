using System.Diagnostics;
using Modulus.Diagnostics;
using Modulus.Oci;
using Modulus.Registry;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Registry;

/// <summary>
/// Where nothing listens, or a server accepts and never answers, a pull gives up within the
/// documented bounds and says why. The retry delays are the shipped ones, so a policy that
/// retried these failures as often as a 503 would take 15 s or more and fail the bound.
/// </summary>
[NonParallelizable]
public class RegistryTimeoutTests
{
    private RegistryTestKit _kit = null!;

    [SetUp]
    public void NewKit() => _kit = new RegistryTestKit();

    [TearDown]
    public void DisposeKit() => _kit.Dispose();

    /// <summary>The test kit's options with the shipped retry count and delays.</summary>
    private RegistryOptions ShippedRetries => _kit.Options with
    {
        MaxAttempts = RegistryOptions.Default.MaxAttempts,
        RetryBaseDelay = RegistryOptions.Default.RetryBaseDelay,
        RetryMaxDelay = RegistryOptions.Default.RetryMaxDelay,
    };

    private Task Pull(string registry, RegistryOptions options) =>
        RegistryImageSource.PullAsync(RegistryTestKit.Reference(registry, "app/none", "v1"), Platform.LinuxAmd64, _kit.NewStore(), options);

    [Test]
    public async Task A_port_where_nothing_listens_fails_with_MOD1006_after_one_retry()
    {
        var registry = $"127.0.0.1:{RegistryServer.FreePort()}";
        var clock = Stopwatch.StartNew();

        var e = await RegistryTestKit.FailsWith(Errors.RegistryUnreachable, () => Pull(registry, ShippedRetries));

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
        e.Message.ShouldContain(registry);
        e.Message.ShouldContain("refused");
        _kit.Log.Count.ShouldBe(1, "one retry, in case the registry was restarting:\n" + string.Join("\n", _kit.Log));
    }

    [Test]
    public async Task A_server_that_never_answers_fails_with_MOD1006_after_two_attempt_timeouts()
    {
        using var silent = new SilentServer();
        var clock = Stopwatch.StartNew();

        var e = await RegistryTestKit.FailsWith(Errors.RegistryUnreachable,
            () => Pull(silent.Address, ShippedRetries with { RequestTimeout = TimeSpan.FromSeconds(1) }));

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
        e.Message.ShouldContain(silent.Address);
        e.Message.ShouldContain("no complete answer within 1 seconds");
        silent.Connections.ShouldBe(2, "the first attempt and one retry");
    }
    [Test]
    public async Task The_request_deadline_bounds_a_silent_server_whatever_the_attempt_timeout()
    {
        using var silent = new SilentServer();
        var clock = Stopwatch.StartNew();

        var e = await RegistryTestKit.FailsWith(Errors.RegistryUnreachable,
            () => Pull(silent.Address, ShippedRetries with { RequestTimeout = TimeSpan.FromMinutes(5), RequestDeadline = TimeSpan.FromSeconds(2) }));

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
        e.Message.ShouldContain("deadline of 2 seconds");
        silent.Connections.ShouldBe(1);
    }
}
