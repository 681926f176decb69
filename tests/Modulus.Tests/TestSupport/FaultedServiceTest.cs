using Modulus.Http;

namespace Modulus.Tests.TestSupport;

/// <summary>
/// A fake service (the npm registry, a Debian mirror) served over real HTTP on 127.0.0.1, with a
/// <see cref="FaultProxy"/> per test in front of it and retries that record their waits and what
/// they told the user instead of sleeping.
/// </summary>
public abstract class FaultedServiceTest
{
    private HandlerServer? _server;

    protected HttpClient Http { get; private set; } = null!;

    /// <summary>The waits the retries asked for, in order.</summary>
    protected List<TimeSpan> Waits { get; } = [];

    protected RecordingLog Log { get; } = new();

    [SetUp]
    public void SetUpService()
    {
        Http = new HttpClient();
        Waits.Clear();
        Log.Clear();
    }

    [TearDown]
    public void TearDownService()
    {
        Http.Dispose();
        _server?.Dispose();
        _server = null;
    }

    /// <summary>Serves <paramref name="fake"/>, which knows itself as <paramref name="origin"/>, for this test.</summary>
    protected void Serve(HttpMessageHandler fake, Uri origin) => _server = new HandlerServer(fake, origin);

    protected FaultProxy Proxy(Func<ProxiedRequest, Fault?> plan, int maxFaults = 1) =>
        new(_server?.Port ?? throw new InvalidOperationException("Serve a fake first."), plan, maxFaults);

    /// <summary><paramref name="policy"/> as the product uses it, but recording its waits instead of sleeping.</summary>
    protected RetryPolicy Recording(RetryPolicy policy) =>
        policy with { Wait = (delay, _) => { Waits.Add(delay); return Task.CompletedTask; }, Log = Log };
}
