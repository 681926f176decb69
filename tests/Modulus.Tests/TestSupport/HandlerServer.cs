using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Modulus.Tests.TestSupport;

/// <summary>
/// Serves an in-memory fake (an <see cref="HttpMessageHandler"/> such as the fake npm registry
/// or Debian mirror) over real HTTP/1.1 on 127.0.0.1, so a <see cref="FaultProxy"/> can stand in
/// front of it. Each request is handed to the fake as if sent to <c>origin</c> with the same path,
/// which is the address the fake knows itself by. GET and HEAD only, one request per connection.
/// </summary>
public sealed class HandlerServer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly HttpMessageInvoker _fake;
    private readonly Uri _origin;
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromMinutes(2));

    public HandlerServer(HttpMessageHandler fake, Uri origin)
    {
        _fake = new HttpMessageInvoker(fake, disposeHandler: false);
        _origin = origin;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = Task.Run(AcceptAsync);
    }

    public int Port { get; }

    private async Task AcceptAsync()
    {
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
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using var _ = client;
        try
        {
            await using var stream = new NetworkStream(client, ownsSocket: false);
            var requestLine = await ReadHeadAsync(stream, _stop.Token);
            if (requestLine is null) return;
            var parts = requestLine.Split(' ');
            using var request = new HttpRequestMessage(new HttpMethod(parts[0]), new Uri(_origin, parts[1]));
            using var response = await _fake.SendAsync(request, _stop.Token);
            var body = response.Content is null ? [] : await response.Content.ReadAsByteArrayAsync(_stop.Token);
            var head = new StringBuilder($"HTTP/1.1 {(int)response.StatusCode} {response.ReasonPhrase ?? response.StatusCode.ToString()}\r\n");
            foreach (var (name, values) in response.Headers) head.Append(name).Append(": ").AppendJoin(", ", values).Append("\r\n");
            head.Append($"Content-Length: {body.Length}\r\nConnection: close\r\n\r\n");
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), _stop.Token);
            if (parts[0] != "HEAD") await stream.WriteAsync(body, _stop.Token);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away, or the server is stopping.
        }
    }

    /// <summary>The request line, after reading up to the blank line that ends the head; null if the client closed first.</summary>
    private static async Task<string?> ReadHeadAsync(NetworkStream stream, CancellationToken ct)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < 64 * 1024)
        {
            if (await stream.ReadAsync(one, ct) == 0) return null;
            head.Add(one[0]);
            if (head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n')
                return Encoding.ASCII.GetString(head.ToArray()).Split("\r\n")[0];
        }
        return null;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _fake.Dispose();
    }
}
