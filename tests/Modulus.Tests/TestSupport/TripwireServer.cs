using System.Net.Sockets;

namespace Modulus.Tests.TestSupport;

/// <summary>
/// A server on 127.0.0.1 that records the head of every request it gets (headers included, so a
/// test sees any credentials sent) and answers each with 401. It stands where a token service
/// would, to prove what reached it.
/// </summary>
public sealed class TripwireServer : LoopbackServer
{
    private readonly List<string> _heads = [];

    public TripwireServer() => Start();

    public IReadOnlyList<string> Heads
    {
        get { lock (_heads) return _heads.ToArray(); }
    }

    protected override async Task ServeAsync(Socket client, NetworkStream stream, CancellationToken ct)
    {
        var head = await HttpHead.ReadAsync(stream, ct);
        if (head is null) return;
        lock (_heads) _heads.Add(head.Text);
        await stream.WriteAsync("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), ct);
    }
}
