using System.Net;
using System.Net.Sockets;

namespace Modulus.Tests.TestSupport;

/// <summary>
/// A server on 127.0.0.1 that accepts every connection and never reads or answers: what a hung
/// registry or a black-holing proxy looks like from the client. It counts the connections.
/// </summary>
public sealed class SilentServer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly List<Socket> _held = [];
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromMinutes(2));

    public SilentServer()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = Task.Run(AcceptAsync);
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    public int Connections
    {
        get { lock (_held) return _held.Count; }
    }

    private async Task AcceptAsync()
    {
        using var stop = _stop.Token.Register(_listener.Stop);
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var client = await _listener.AcceptSocketAsync(_stop.Token);
                lock (_held) _held.Add(client);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_held)
        {
            foreach (var socket in _held) socket.Dispose();
        }
    }
}
