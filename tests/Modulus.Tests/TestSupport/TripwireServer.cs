using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Modulus.Tests.TestSupport;

/// <summary>
/// A server on 127.0.0.1 that records the head of every request it gets (headers included, so a
/// test sees any credentials sent) and answers each with 401. It stands where a token service
/// would, to prove what reached it.
/// </summary>
public sealed class TripwireServer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly List<string> _heads = [];
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromMinutes(2));
    private int _connections;

    public TripwireServer()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = Task.Run(AcceptAsync);
    }

    public int Port { get; }

    /// <summary>Connections accepted, whether or not a request came over them.</summary>
    public int Connections => Volatile.Read(ref _connections);

    public IReadOnlyList<string> Heads
    {
        get { lock (_heads) return _heads.ToArray(); }
    }

    private async Task AcceptAsync()
    {
        using var stop = _stop.Token.Register(_listener.Stop);
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            Interlocked.Increment(ref _connections);
            _ = Task.Run(() => AnswerAsync(client));
        }
    }

    private async Task AnswerAsync(Socket client)
    {
        using var _ = client;
        try
        {
            await using var stream = new NetworkStream(client, ownsSocket: false);
            var head = new List<byte>();
            var one = new byte[1];
            while (head.Count < 64 * 1024 && await stream.ReadAsync(one, _stop.Token) == 1)
            {
                head.Add(one[0]);
                if (head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n') break;
            }
            lock (_heads) _heads.Add(Encoding.ASCII.GetString(head.ToArray()));
            await stream.WriteAsync("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), _stop.Token);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away, or the server is stopping.
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }
}
