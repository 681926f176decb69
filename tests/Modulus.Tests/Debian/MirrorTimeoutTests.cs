using System.Diagnostics;
using Modulus.Debian;
using Modulus.Diagnostics;
using Modulus.Storage;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Debian;

/// <summary>
/// A mirror that accepts and never answers is given up at the overall deadline, however long one
/// attempt may take, with the shipped retries: the deadline bounds the attempts and the waits alike.
/// </summary>
[NonParallelizable]
public class MirrorTimeoutTests
{
    [Test]
    [CancelAfter(60_000)]
    public void A_silent_mirror_is_MOD3002_at_the_overall_deadline_whatever_the_attempt_timeout()
    {
        using var temp = new TempDirectory("mirror-timeout");
        using var silent = new SilentServer();
        using var http = new HttpClient();
        var downloader = new DebianDownloader(http, new BlobStore(temp.Combine("store")))
        {
            Limits = DebianLimits.Default with { AttemptTimeout = TimeSpan.FromMinutes(5), Deadline = TimeSpan.FromSeconds(2) },
        };
        var clock = Stopwatch.StartNew();

        var e = Bounded.Within(TimeSpan.FromSeconds(30), () => Should.Throw<ModulusException>(
            () => downloader.FetchReleaseAsync(new DebianSource($"http://{silent.Address}/debian", "bookworm", ["main"]), verifier: null, CancellationToken.None)));

        e.Error.ShouldBe(Errors.DebianFetchFailed, e.Message);
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
        e.Message.ShouldContain(silent.Address);
        e.Message.ShouldContain("deadline of 2 seconds");
        silent.Connections.ShouldBe(1);
    }
}
