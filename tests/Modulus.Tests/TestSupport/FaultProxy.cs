using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Modulus.Tests.TestSupport;

/// <summary>A request as the proxy saw it: its method, its path, its body length and its number in order of arrival.</summary>
public sealed record ProxiedRequest(string Method, string Path, long ContentLength, int Number);

/// <summary>What the proxy does to one request instead of passing it on untouched.</summary>
public abstract record Fault
{
    /// <summary>Answer with this status (and Retry-After seconds) without asking the registry.</summary>
    public sealed record Status(int Code, int? RetryAfterSeconds = null) : Fault;

    /// <summary>Read this many bytes of the request body, then reset the connection.</summary>
    public sealed record ResetDuringRequest(long AfterBytes) : Fault;

    /// <summary>Pass the request on, relay this many bytes of the answer's body, then reset.</summary>
    public sealed record ResetDuringResponse(long AfterBytes) : Fault;

    /// <summary>Wait this long before passing the request on.</summary>
    public sealed record Delay(TimeSpan Duration) : Fault;

    /// <summary>
    /// Pass the request on and answer with the registry's answer whose body <paramref name="Body"/>
    /// rewrote (Content-Length follows; every other header, Docker-Content-Digest included, stays).
    /// </summary>
    public sealed record Rewrite(Func<byte[], byte[]> Body) : Fault
    {
        public override string ToString() => "Rewrite";
    }
}

/// <summary>
/// An HTTP/1.1 proxy on 127.0.0.1 in front of a registry that injects faults chosen by a plan
/// (failures, resets, delays, rewritten bodies). It is bounded: at most <c>maxFaults</c> faults,
/// and it stops by itself after <c>lifetime</c>. One request per connection (it answers
/// Connection: close), which keeps the relaying byte-exact.
/// </summary>
public sealed class FaultProxy : LoopbackServer
{
    private readonly int _upstreamPort;
    private readonly Func<ProxiedRequest, Fault?> _plan;
    private readonly List<string> _events = [];
    private int _faultsLeft;
    private int _requests;

    public FaultProxy(int upstreamPort, Func<ProxiedRequest, Fault?> plan, int maxFaults, TimeSpan? lifetime = null)
        : base(lifetime)
    {
        _upstreamPort = upstreamPort;
        _plan = plan;
        _faultsLeft = maxFaults;
        Start();
    }

    /// <summary>Every request and the fault it met, for assertions and failure messages.</summary>
    public IReadOnlyList<string> Events
    {
        get { lock (_events) return _events.ToArray(); }
    }

    public int FaultsInjected => Events.Count(e => e.Contains(" -> ", StringComparison.Ordinal));

    protected override async Task ServeAsync(Socket client, NetworkStream clientStream, CancellationToken ct)
    {
        var head = await HttpHead.ReadAsync(clientStream, ct);
        if (head is null) return;
        var (requestLine, headers, rest) = (head.FirstLine, head.Headers, head.Rest);
        var parts = requestLine.Split(' ');
        var bodyLength = long.TryParse(head.Header("Content-Length"), out var n) ? n : 0;
        var request = new ProxiedRequest(parts[0], parts.Length > 1 ? parts[1] : "/", bodyLength, Interlocked.Increment(ref _requests));
        var fault = _plan(request);
        // Only a fault spends the budget, so requests that pass untouched never use it up.
        if (fault is not null && Interlocked.Decrement(ref _faultsLeft) < 0) fault = null;
        Record(request, fault);

        switch (fault)
        {
            case Fault.Status status:
                await DrainAsync(clientStream, rest, bodyLength, ct);
                var retry = status.RetryAfterSeconds is { } s ? $"Retry-After: {s}\r\n" : string.Empty;
                await clientStream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {status.Code} Injected\r\nContent-Length: 0\r\n{retry}Connection: close\r\n\r\n"), ct);
                return;
            case Fault.ResetDuringRequest reset:
                await DrainAsync(clientStream, rest, Math.Min(reset.AfterBytes, bodyLength), ct);
                Reset(client);
                return;
            case Fault.Delay delay:
                await Task.Delay(delay.Duration, ct);
                break;
        }

        using var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await upstream.ConnectAsync(IPAddress.Loopback, _upstreamPort, ct);
        await using var upstreamStream = new NetworkStream(upstream, ownsSocket: false);
        var forwardedHead = requestLine + "\r\n" + string.Join("", headers.Where(h => !IsConnectionHeader(h)).Select(h => h + "\r\n")) + "Connection: close\r\n\r\n";
        await upstreamStream.WriteAsync(Encoding.ASCII.GetBytes(forwardedHead), ct);
        await CopyBodyAsync(clientStream, rest, bodyLength, upstreamStream, ct);

        if (fault is Fault.Rewrite rewrite)
        {
            await RelayRewrittenAsync(upstreamStream, clientStream, rewrite.Body, ct);
            return;
        }
        var limit = fault is Fault.ResetDuringResponse r ? r.AfterBytes : long.MaxValue;
        await RelayResponseAsync(upstreamStream, clientStream, limit, ct);
        if (limit != long.MaxValue) Reset(client);
    }

    private void Record(ProxiedRequest request, Fault? fault)
    {
        lock (_events) _events.Add($"{request.Number} {request.Method} {request.Path}" + (fault is null ? string.Empty : $" -> {fault}"));
    }

    /// <summary>Relays the answer's head (made Connection: close) and up to <paramref name="bodyLimit"/> body bytes.</summary>
    private static async Task RelayResponseAsync(NetworkStream upstream, NetworkStream client, long bodyLimit, CancellationToken ct)
    {
        var head = await HttpHead.ReadAsync(upstream, ct);
        if (head is null) return;
        var (statusLine, headers, rest) = (head.FirstLine, head.Headers, head.Rest);
        var outHead = statusLine + "\r\n" + string.Join("", headers.Where(h => !IsConnectionHeader(h)).Select(h => h + "\r\n")) + "Connection: close\r\n\r\n";
        await client.WriteAsync(Encoding.ASCII.GetBytes(outHead), ct);
        var sent = Math.Min(rest.Length, bodyLimit);
        await client.WriteAsync(rest.AsMemory(0, (int)sent), ct);
        var buffer = new byte[1 << 16];
        while (sent < bodyLimit)
        {
            var read = await upstream.ReadAsync(buffer, ct);
            if (read == 0) break;
            var take = (int)Math.Min(read, bodyLimit - sent);
            await client.WriteAsync(buffer.AsMemory(0, take), ct);
            sent += take;
        }
    }

    /// <summary>Relays the answer with its whole body (as long as its Content-Length says) rewritten.</summary>
    private static async Task RelayRewrittenAsync(NetworkStream upstream, NetworkStream client, Func<byte[], byte[]> rewrite, CancellationToken ct)
    {
        var head = await HttpHead.ReadAsync(upstream, ct);
        if (head is null) return;
        var (statusLine, headers, rest) = (head.FirstLine, head.Headers, head.Rest);
        var length = long.Parse(head.Header("Content-Length") ?? throw new IOException("the registry sent no Content-Length to rewrite"));
        var body = new MemoryStream();
        body.Write(rest);
        var buffer = new byte[1 << 16];
        while (body.Length < length)
        {
            var read = await upstream.ReadAsync(buffer, ct);
            if (read == 0) break;
            body.Write(buffer, 0, read);
        }
        var rewritten = rewrite(body.ToArray());
        var kept = headers.Where(h => !IsConnectionHeader(h) && !h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        var outHead = statusLine + "\r\n" + string.Join("", kept.Select(h => h + "\r\n")) + $"Content-Length: {rewritten.Length}\r\nConnection: close\r\n\r\n";
        await client.WriteAsync(Encoding.ASCII.GetBytes(outHead), ct);
        await client.WriteAsync(rewritten, ct);
    }

    private static async Task CopyBodyAsync(NetworkStream from, byte[] already, long length, NetworkStream to, CancellationToken ct)
    {
        await to.WriteAsync(already, ct);
        var remaining = length - already.Length;
        var buffer = new byte[1 << 16];
        while (remaining > 0)
        {
            var read = await from.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), ct);
            if (read == 0) throw new IOException("the client closed during the body");
            await to.WriteAsync(buffer.AsMemory(0, read), ct);
            remaining -= read;
        }
    }

    private static async Task DrainAsync(NetworkStream from, byte[] already, long length, CancellationToken ct)
    {
        var remaining = length - already.Length;
        var buffer = new byte[1 << 16];
        while (remaining > 0)
        {
            var read = await from.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), ct);
            if (read == 0) return;
            remaining -= read;
        }
    }

    private static bool IsConnectionHeader(string header) =>
        header.StartsWith("Connection:", StringComparison.OrdinalIgnoreCase) || header.StartsWith("Keep-Alive:", StringComparison.OrdinalIgnoreCase);

    private static void Reset(Socket socket)
    {
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
    }
}
