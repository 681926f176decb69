using System.Security.Cryptography;
using Modulus.Debian;
using Modulus.Diagnostics;
using Modulus.Storage;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Debian;

/// <summary>
/// The Debian downloader over real HTTP on 127.0.0.1, through a proxy that fails requests on
/// purpose: transient answers are tried again (after the Retry-After asked for), a .deb that
/// breaks mid-way is fetched again from its first byte and verified, and a 404 is final.
/// </summary>
public class MirrorFaultTests : FaultedServiceTest
{
    private static readonly byte[] Deb = RandomNumberGenerator.GetBytes(100_000);
    private const string DebPath = "pool/main/l/libgreet/libgreet_1.1_amd64.deb";

    private FakeMirror _mirror = null!;
    private TempDirectory _temp = null!;
    private BlobStore _store = null!;

    [SetUp]
    public void SetUp()
    {
        _mirror = new FakeMirror();
        _mirror.Add("libgreet", "1.1", Deb);
        _mirror.Publish();
        Serve(_mirror, new Uri(FakeMirror.Root));
        _temp = new TempDirectory("mirror-faults");
        _store = new BlobStore(_temp.Combine("store"));
    }

    [TearDown]
    public void TearDown()
    {
        _mirror.Dispose();
        _temp.Dispose();
    }

    /// <summary>The downloader as the installer makes it, but recording its waits instead of sleeping.</summary>
    private DebianDownloader Downloader() => new(Http, _store)
    {
        Retry = Recording(DebianDownloader.DefaultRetry),
    };

    private static string Root(FaultProxy proxy) => $"http://{proxy.Address}/debian";

    private static DebianSource Source(FaultProxy proxy, string suite = "bookworm") => new(Root(proxy), suite, ["main"]);

    [Test]
    public async Task A_503_then_a_200_succeeds_and_the_retry_is_told()
    {
        using var proxy = Proxy(_ => new Fault.Status(503));

        var release = await Downloader().FetchReleaseAsync(Source(proxy), verifier: null, CancellationToken.None);

        release.Codename.ShouldBe("bookworm");
        proxy.Events.Count.ShouldBe(2, string.Join("\n", proxy.Events));
        Log.Details.ShouldHaveSingleItem().ShouldStartWith($"Fetching {Root(proxy)}/dists/bookworm/InRelease: the mirror answered 503 Injected; attempt 2 of 3 in ");
    }

    [Test]
    public async Task A_429Waits_as_long_as_its_Retry_After_asks()
    {
        using var proxy = Proxy(_ => new Fault.Status(429, RetryAfterSeconds: 5));

        await Downloader().FetchReleaseAsync(Source(proxy), verifier: null, CancellationToken.None);

        Waits.ShouldBe([TimeSpan.FromSeconds(5)]);
    }

    [TestCase(1 << 20, "more than the 100000 bytes declared", TestName = "A .deb longer than its index's Size is MOD3007 at byte Size + 1, once, and nothing is kept")]
    [TestCase(-50_000, "50000 bytes, not the 100000 declared", TestName = "A .deb shorter than its index's Size is MOD3007")]
    [CancelAfter(60_000)]
    public async Task A_deb_of_another_size_than_its_index_says_is_refused(int change, string held)
    {
        _mirror.Override[DebPath] = change > 0 ? [.. Deb, .. new byte[change]] : Deb[..^-change];
        using var proxy = Proxy(_ => null);

        var e = await Should.ThrowAsync<ModulusException>(() =>
            Downloader().FetchDebAsync(Root(proxy), DebPath, Convert.ToHexStringLower(SHA256.HashData(Deb)), CancellationToken.None, Deb.Length));

        e.Code.ShouldBe("MOD3007");
        e.Message.ShouldContain(held);
        proxy.Events.Count.ShouldBe(1, "a wrong size is not asked for again:\n" + string.Join("\n", proxy.Events));
        Directory.EnumerateFiles(_store.Root, "*", SearchOption.AllDirectories).ShouldBeEmpty();
    }

    [Test]
    public async Task A_404_is_final_at_the_first_answer()
    {
        using var proxy = Proxy(_ => null);

        var e = await Should.ThrowAsync<ModulusException>(() => Downloader().FetchReleaseAsync(Source(proxy, "trixie"), verifier: null, CancellationToken.None));
        var missing = await Downloader().FetchDebAsync(Root(proxy), "pool/main/g/gone/gone_1_amd64.deb", Convert.ToHexStringLower(SHA256.HashData(Deb)), CancellationToken.None);

        e.Error.ShouldBe(Errors.DebianFetchFailed);
        e.Message.ShouldContain("the mirror answered 404");
        missing.ShouldBeNull("a .deb the mirror lacks may be on another apt source");
        proxy.Events.Count.ShouldBe(2, string.Join("\n", proxy.Events));
        Waits.ShouldBeEmpty();
    }

    [Test]
    public async Task A_mirror_that_stays_down_fails_after_three_attempts_with_the_last_answer()
    {
        using var proxy = Proxy(_ => new Fault.Status(504), maxFaults: 10);

        var e = await Should.ThrowAsync<ModulusException>(() => Downloader().FetchReleaseAsync(Source(proxy), verifier: null, CancellationToken.None));

        e.Error.ShouldBe(Errors.DebianFetchFailed);
        e.Message.ShouldContain("the mirror answered 504 Injected");
        proxy.FaultsInjected.ShouldBe(3);
    }

    [Test]
    public async Task A_deb_that_breaks_mid_way_is_fetched_again_from_its_first_byte_and_verified()
    {
        using var proxy = Proxy(r => r.Path.EndsWith(".deb", StringComparison.Ordinal) ? new Fault.ResetDuringResponse(30_000) : null);

        var path = await Downloader().FetchDebAsync(Root(proxy), DebPath, Convert.ToHexStringLower(SHA256.HashData(Deb)), CancellationToken.None);

        proxy.FaultsInjected.ShouldBe(1, string.Join("\n", proxy.Events));
        File.ReadAllBytes(path.ShouldNotBeNull()).ShouldBe(Deb);
        Log.Details.ShouldHaveSingleItem().ShouldContain(DebPath);
        Directory.EnumerateFiles(_store.Root, "*", SearchOption.AllDirectories).ShouldNotContain(f => f.EndsWith(".tmp", StringComparison.Ordinal), "the broken attempt left nothing behind");
    }
}
