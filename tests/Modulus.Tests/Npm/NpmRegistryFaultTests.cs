using Modulus.Diagnostics;
using Modulus.Http;
using Modulus.Npm;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Npm;

/// <summary>
/// The npm client over real HTTP on 127.0.0.1, through a proxy that fails requests on purpose:
/// transient answers are tried again (after the Retry-After asked for), a broken tarball is
/// downloaded again from its first byte, and a 404 is final at the first answer.
/// </summary>
public class NpmRegistryFaultTests : FaultedServiceTest
{
    private static readonly byte[] LeftPad = FakeNpmRegistry.Tarball(
        FakeNpmRegistry.PackageJson("left-pad", "1.3.0"),
        TarLayer.File("package/noise.txt", Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6000))));

    private static readonly SemVersion Version130 = SemVersion.TryParse("1.3.0", out var v) ? v : throw new InvalidOperationException();

    private FakeNpmRegistry _fake = null!;

    [SetUp]
    public void SetUp()
    {
        _fake = new FakeNpmRegistry();
        _fake.Publish("left-pad", "1.3.0", LeftPad);
        Serve(_fake, new Uri(FakeNpmRegistry.Url));
    }

    [TearDown]
    public void TearDown()
    {
        _fake.Dispose();
    }

    /// <summary>The client as the installer makes it, but recording its waits instead of sleeping.</summary>
    private NpmRegistryClient Client(FaultProxy proxy) => new(
        new NpmRegistry(new Uri($"http://{proxy.Address}/npm/"), "test"), Http,
        Recording(NpmRegistryClient.DefaultRetry));

    [Test]
    public async Task A_503_then_a_200_succeeds_and_the_retry_is_told()
    {
        using var proxy = Proxy(_ => new Fault.Status(503));

        var packument = await Client(proxy).GetPackumentAsync("left-pad", CancellationToken.None);

        packument.Versions.ShouldContainKey(Version130);
        proxy.Events.Count.ShouldBe(2, string.Join("\n", proxy.Events));
        Log.Details.ShouldHaveSingleItem().ShouldStartWith($"Fetching left-pad at http://{proxy.Address}/npm/left-pad: HTTP 503 Injected; attempt 2 of 3 in ");
    }

    [Test]
    public async Task A_429Waits_as_long_as_its_Retry_After_asks()
    {
        using var proxy = Proxy(_ => new Fault.Status(429, RetryAfterSeconds: 7));

        await Client(proxy).GetPackumentAsync("left-pad", CancellationToken.None);

        Waits.ShouldBe([TimeSpan.FromSeconds(7)]);
        Log.Details.ShouldHaveSingleItem().ShouldEndWith("attempt 2 of 3 in 7.0s.");
    }

    [Test]
    public async Task A_404_is_final_at_the_first_answer()
    {
        using var proxy = Proxy(_ => null);

        var e = await Should.ThrowAsync<ModulusException>(() => Client(proxy).GetPackumentAsync("right-pad", CancellationToken.None));

        e.Error.ShouldBe(Errors.NpmPackageNotFound);
        proxy.Events.Count.ShouldBe(1, string.Join("\n", proxy.Events));
        Waits.ShouldBeEmpty();
    }

    [Test]
    public async Task A_registry_that_stays_down_fails_after_three_attempts_with_the_last_answer()
    {
        using var proxy = Proxy(_ => new Fault.Status(502), maxFaults: 10);

        var e = await Should.ThrowAsync<ModulusException>(() => Client(proxy).GetPackumentAsync("left-pad", CancellationToken.None));

        e.Error.ShouldBe(Errors.NpmRegistryFailed);
        e.Message.ShouldContain($"HTTP 502 Injected from http://{proxy.Address}/npm/left-pad, after 3 attempts");
        proxy.FaultsInjected.ShouldBe(3);
    }

    [Test]
    public async Task A_tarball_that_breaks_mid_way_is_downloaded_again_from_its_first_byte()
    {
        using var proxy = Proxy(r => r.Path.EndsWith(".tgz", StringComparison.Ordinal) ? new Fault.ResetDuringResponse(1000) : null);
        var tarball = new NpmVersionInfo("left-pad", Version130, new Uri($"http://{proxy.Address}/npm/left-pad/-/left-pad-1.3.0.tgz"), null, null, null);
        var starts = 0;
        var received = new MemoryStream();

        await Client(proxy).DownloadAsync(tarball, async (body, ct) =>
        {
            starts++;
            received = new MemoryStream();
            await body.CopyToAsync(received, ct);
        }, CancellationToken.None);

        proxy.FaultsInjected.ShouldBe(1, string.Join("\n", proxy.Events));
        starts.ShouldBe(2);
        received.ToArray().ShouldBe(LeftPad);
        Log.Details.ShouldHaveSingleItem().ShouldContain("left-pad@1.3.0");
    }
}
