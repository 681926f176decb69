using System.Net.Sockets;
using System.Text;

namespace Modulus.Tests.TestSupport;

/// <summary>
/// Serves an in-memory fake (an <see cref="HttpMessageHandler"/> such as the fake npm registry
/// or Debian mirror) over real HTTP/1.1 on 127.0.0.1, so a <see cref="FaultProxy"/> can stand in
/// front of it. Each request is handed to the fake as if sent to <c>origin</c> with the same path,
/// which is the address the fake knows itself by. GET and HEAD only, one request per connection.
/// </summary>
public sealed class HandlerServer : LoopbackServer
{
    private readonly HttpMessageInvoker _fake;
    private readonly Uri _origin;

    public HandlerServer(HttpMessageHandler fake, Uri origin)
    {
        _fake = new HttpMessageInvoker(fake, disposeHandler: false);
        _origin = origin;
        Start();
    }

    protected override async Task ServeAsync(Socket client, NetworkStream stream, CancellationToken ct)
    {
        var head = await HttpHead.ReadAsync(stream, ct);
        if (head is null) return;
        var parts = head.FirstLine.Split(' ');
        using var request = new HttpRequestMessage(new HttpMethod(parts[0]), new Uri(_origin, parts[1]));
        using var response = await _fake.SendAsync(request, ct);
        var body = response.Content is null ? [] : await response.Content.ReadAsByteArrayAsync(ct);
        var answer = new StringBuilder($"HTTP/1.1 {(int)response.StatusCode} {response.ReasonPhrase ?? response.StatusCode.ToString()}\r\n");
        foreach (var (name, values) in response.Headers) answer.Append(name).Append(": ").AppendJoin(", ", values).Append("\r\n");
        answer.Append($"Content-Length: {body.Length}\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(answer.ToString()), ct);
        if (parts[0] != "HEAD") await stream.WriteAsync(body, ct);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) _fake.Dispose();
    }
}
