using System.Net.Sockets;

namespace Modulus.Tests.TestSupport;

/// <summary>
/// A server on 127.0.0.1 that accepts every connection and never reads or answers: what a hung
/// registry or a black-holing proxy looks like from the client. It counts the connections.
/// </summary>
public sealed class SilentServer : LoopbackServer
{
    public SilentServer() => Start();

    /// <summary>Holds the connection open, unanswered, until the server stops.</summary>
    protected override Task ServeAsync(Socket client, NetworkStream stream, CancellationToken ct) => Task.Delay(Timeout.Infinite, ct);
}
