using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Modulus.Diagnostics;
using Modulus.Http;

namespace Modulus.Registry;

/// <summary>
/// The HTTP side of one registry: picks the scheme once (HTTPS; plain HTTP only for loopback or
/// insecure-listed registries), authenticates each request, bounds each attempt with a timeout
/// that grows with the bytes it moves, and retries transient failures with backoff.
/// </summary>
internal sealed class RegistryTransport : IDisposable
{
    private readonly HttpClient _http;
    private readonly RetryPolicy _retry;
    private readonly bool _insecure;
    private readonly RegistryTrust _trust;
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private Uri? _base;

    public RegistryTransport(string registry, bool forPush, RegistryOptions options)
    {
        Registry = registry;
        Options = options;
        _insecure = RegistryHosts.IsLoopback(registry) || RegistryHosts.IsListedInsecure(registry, options);
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(15),
            AllowAutoRedirect = true,
            AutomaticDecompression = DecompressionMethods.None,
            MaxConnectionsPerServer = Math.Max(2, options.MaxParallelTransfers + 1),
        };
        _trust = new RegistryTrust(registry, _insecure, options);
        handler.SslOptions.RemoteCertificateValidationCallback = _trust.Accept;
        if (_trust.ClientCertificates.Count > 0)
        {
            handler.SslOptions.ClientCertificates = _trust.ClientCertificates;
            handler.SslOptions.LocalCertificateSelectionCallback = _trust.SelectClientCertificate;
        }
        if (options.HostAddresses.Count > 0) handler.ConnectCallback = (context, ct) => ConnectAsync(context.DnsEndPoint, options.HostAddresses, ct);
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("Modulus/1.0");
        Auth = new RegistryAuthenticator(registry, forPush, options, _http);
        _retry = options.Retry();
    }

    public string Registry { get; }

    public RegistryOptions Options { get; }

    public RegistryAuthenticator Auth { get; }

    /// <summary>Sends with retries; the body is read before this returns unless the request streams.</summary>
    public Task<HttpResponseMessage> SendAsync(RegistryRequest request, CancellationToken ct) =>
        RetryAsync(request.What, request.TransferBytes, t => SendOnceAsync(request, t), ct);

    /// <summary>
    /// Runs <paramref name="attempt"/> under the retry policy, each attempt with a timeout that
    /// grows with <paramref name="transferBytes"/>, all of them within the request's deadline; a
    /// failure that outlasts the attempts becomes the registry's own error. The registry is
    /// reached first, with retries of its own: inside an attempt, they would run again on every
    /// attempt and outlast its timeout.
    /// </summary>
    public async Task<T> RetryAsync<T>(string what, long transferBytes, Func<CancellationToken, Task<T>> attempt, CancellationToken ct)
    {
        await BaseAsync(ct);
        return await RunAsync(what, transferBytes, attempt, connecting: false, ct);
    }

    private async Task<T> RunAsync<T>(string what, long transferBytes, Func<CancellationToken, Task<T>> attempt, bool connecting, CancellationToken ct)
    {
        try
        {
            return await _retry.RunAsync($"{what} at {Registry}", attempt, ct, Options.TimeoutFor(transferBytes), Options.DeadlineFor(transferBytes));
        }
        catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.NameResolutionError)
        {
            throw new ModulusException(Errors.RegistryUnreachable, e, Registry, "its host name does not resolve");
        }
        catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.SecureConnectionError && _trust.Refusal is { } refusal)
        {
            throw new ModulusException(Errors.RegistryCertificateUntrusted, e, Registry, refusal, _trust.CertificatesFolder);
        }
        catch (Exception e) when (e is HttpRequestException or IOException && _trust.ClientCertificateRefusal(e) is { } why)
        {
            throw new ModulusException(Errors.RegistryClientCertificateRequired, e, Registry, why, _trust.CertificatesFolder);
        }
        catch (TransientFailure failure)
        {
            // A registry that gave no answer to its first request (refused, broke off, or stayed
            // silent) was not reached at all; one that answered 503 was, and is failing.
            throw connecting && failure.InnerException is not null
                || failure.InnerException is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError }
                ? new ModulusException(Errors.RegistryUnreachable, failure, Registry, FormattableString.Invariant($"{failure.Reason} ({failure.Attempts} attempts)"))
                : new ModulusException(Errors.RegistryRetriesExhausted, failure, what, Registry, failure.Attempts, failure.Reason);
        }
    }

    /// <summary>
    /// One authenticated attempt. Throws <see cref="TransientFailure"/> for answers worth a retry
    /// and a <see cref="ModulusException"/> for 401/403; returns every other answer to the caller.
    /// </summary>
    public async Task<HttpResponseMessage> SendOnceAsync(RegistryRequest request, CancellationToken ct)
    {
        var baseUri = await BaseAsync(ct);
        var header = await Auth.HeaderAsync(request.Scopes, renew: false, ct);
        var response = await SendRawAsync(baseUri, request, header, ct);
        try
        {
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                // A token expired, or the registry wants more than the ping said: learn and try once more.
                Auth.Learn(AuthChallenge.From(response));
                var renewed = await Auth.HeaderAsync(request.Scopes, renew: true, ct);
                if (renewed is not null && renewed.ToString() != header?.ToString())
                {
                    response.Dispose();
                    response = await SendRawAsync(baseUri, request, renewed, ct);
                }
            }
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) throw Auth.Refused(response, request);
            if (TransientFailure.IsTransient(response.StatusCode))
                throw TransientFailure.Of(response, await RegistryResponses.DescribeAsync(response, ct), Options.Time);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>Connects to <paramref name="endpoint"/>, at the address <paramref name="addresses"/> gives its host if any.</summary>
    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, IReadOnlyDictionary<string, IPAddress> addresses, CancellationToken ct)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            EndPoint target = addresses.TryGetValue(endpoint.Host, out var address) ? new IPEndPoint(address, endpoint.Port) : endpoint;
            await socket.ConnectAsync(target, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public Uri Resolve(Uri baseUri, string path) =>
        Uri.TryCreate(path, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http", StringComparison.Ordinal)
            ? absolute
            : new Uri(baseUri, path);

    private async Task<HttpResponseMessage> SendRawAsync(Uri baseUri, RegistryRequest request, AuthenticationHeaderValue? authorization, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(request.Method, Resolve(baseUri, request.Path));
        foreach (var accept in request.Accept) message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        message.Headers.Authorization = authorization;
        message.Content = request.Content?.Invoke();
        return await _http.SendAsync(message, request.StreamResponse ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead, ct);
    }

    /// <summary>
    /// The registry's base URL, found once with GET /v2/, which also tells how it authenticates.
    /// Loopback registries are tried over HTTP first (local traffic), insecure-listed ones over
    /// HTTPS first, as the Docker daemon does; all others over HTTPS only.
    /// </summary>
    private async Task<Uri> BaseAsync(CancellationToken ct)
    {
        if (_base is { } known) return known;
        await _connectLock.WaitAsync(ct);
        try
        {
            if (_base is { } raced) return raced;
            string[] schemes = RegistryHosts.IsLoopback(Registry) ? ["http", "https"] : _insecure ? ["https", "http"] : ["https"];
            for (var i = 0; ; i++)
            {
                var candidate = new Uri($"{schemes[i]}://{RegistryHosts.ApiHost(Registry)}/");
                try
                {
                    Auth.Learn(await PingAsync(candidate, ct));
                    return _base = candidate;
                }
                catch (WrongScheme) when (i + 1 < schemes.Length)
                {
                    // The registry speaks the other scheme: go on to it.
                }
                catch (WrongScheme e)
                {
                    throw new ModulusException(Errors.RegistryUnreachable, e, Registry, e.Message);
                }
            }
        }
        finally
        {
            _connectLock.Release();
        }
    }

    private Task<AuthChallenge?> PingAsync(Uri candidate, CancellationToken ct) =>
        RunAsync($"Connecting to {candidate.Scheme}://{Registry}", 0, async t =>
        {
            HttpResponseMessage response;
            try
            {
                response = await _http.GetAsync(new Uri(candidate, "v2/"), t);
            }
            catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.SecureConnectionError or HttpRequestError.InvalidResponse
                && _trust.Refusal is null)
            {
                throw new WrongScheme($"it does not speak {candidate.Scheme.ToUpperInvariant()} ({TransientFailure.Describe(e)})", e);
            }
            using (response)
            {
                if (response.IsSuccessStatusCode) return null;
                if (response.StatusCode == HttpStatusCode.Unauthorized) return AuthChallenge.From(response);
                if (TransientFailure.IsTransient(response.StatusCode))
                    throw TransientFailure.Of(response, await RegistryResponses.DescribeAsync(response, t), Options.Time);
                throw new WrongScheme($"GET {candidate.Scheme}://{Registry}/v2/ answered {await RegistryResponses.DescribeAsync(response, t)}, so it is no registry API", null);
            }
        }, connecting: true, ct);

    public void Dispose() => _http.Dispose();

    /// <summary>The scheme tried is not the one the registry speaks.</summary>
    private sealed class WrongScheme(string message, Exception? inner) : Exception(message, inner);
}
