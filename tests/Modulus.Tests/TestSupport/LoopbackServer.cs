using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Modulus.Tests.TestSupport;

/// <summary>
/// A TCP server on 127.0.0.1 for tests. It serves each connection on a task of its own and stops
/// when disposed or when its lifetime ends, so a test that fails before disposing it leaves nothing
/// listening. A client that goes away, or the server stopping, ends a connection quietly.
/// </summary>
public abstract class LoopbackServer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop;
    private int _connections;

    protected LoopbackServer(TimeSpan? lifetime = null)
    {
        _stop = new CancellationTokenSource(lifetime ?? TimeSpan.FromMinutes(2));
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    /// <summary>Connections accepted, whether or not a request came over them.</summary>
    public int Connections => Volatile.Read(ref _connections);

    protected CancellationToken Stopping => _stop.Token;

    /// <summary>Starts accepting; the derived constructor calls it once its own fields are set.</summary>
    protected void Start() => _ = Task.Run(AcceptAsync);

    /// <summary>Serves one connection; the socket is closed when this returns.</summary>
    protected abstract Task ServeAsync(Socket client, NetworkStream stream, CancellationToken ct);

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
            _ = Task.Run(() => ServeOneAsync(client));
        }
    }

    private async Task ServeOneAsync(Socket client)
    {
        using var _ = client;
        try
        {
            await using var stream = new NetworkStream(client, ownsSocket: false);
            await ServeAsync(client, stream, _stop.Token);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away, or the server is stopping.
        }
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (!disposing) return;
        _stop.Cancel();
        _listener.Stop();
    }
}

/// <summary>The head of an HTTP/1.1 message: its first line, its header lines, the whole head as sent, and the bytes read past it.</summary>
public sealed record HttpHead(string FirstLine, IReadOnlyList<string> Headers, string Text, byte[] Rest)
{
    /// <summary>
    /// Reads up to the blank line ending a head. Null at end of stream, past 64 KiB, or when the
    /// first byte says TLS (a client probing for HTTPS): closing is how a plain-HTTP server answers that.
    /// </summary>
    public static async Task<HttpHead?> ReadAsync(Stream stream, CancellationToken ct)
    {
        var data = new List<byte>();
        var buffer = new byte[8192];
        while (true)
        {
            var read = await stream.ReadAsync(buffer, ct);
            if (read == 0) return null;
            data.AddRange(buffer.AsSpan(0, read));
            if (data[0] == 0x16) return null;
            var end = IndexOfBlankLine(data);
            if (end < 0)
            {
                if (data.Count > 64 * 1024) return null;
                continue;
            }
            var text = Encoding.ASCII.GetString(data.GetRange(0, end + 4).ToArray());
            var lines = text[..end].Split("\r\n");
            return new HttpHead(lines[0], lines.Skip(1).Where(l => l.Length > 0).ToList(), text, data.GetRange(end + 4, data.Count - end - 4).ToArray());
        }
    }

    /// <summary>The value of the first header named <paramref name="name"/> (any case), or null.</summary>
    public string? Header(string name) =>
        Headers.Select(h => h.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals(name, StringComparison.OrdinalIgnoreCase)).Select(p => p[1].Trim()).FirstOrDefault();

    private static int IndexOfBlankLine(List<byte> data)
    {
        for (var i = 0; i + 3 < data.Count; i++)
            if (data[i] == '\r' && data[i + 1] == '\n' && data[i + 2] == '\r' && data[i + 3] == '\n') return i;
        return -1;
    }
}
