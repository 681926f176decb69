using System.Collections.Concurrent;

namespace Modulus.Tests.Debian;

/// <summary>Passes requests on and remembers each one, so a test can assert that a warm build asks nothing.</summary>
public sealed class CountingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    public ConcurrentQueue<string> Requests { get; } = new();

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request.RequestUri!.ToString());
        return base.SendAsync(request, cancellationToken);
    }
}
