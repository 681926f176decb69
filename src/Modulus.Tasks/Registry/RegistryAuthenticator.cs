using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Modulus.Diagnostics;
using Modulus.Http;
using Modulus.Storage;

namespace Modulus.Registry;

/// <summary>
/// Answers a registry's challenge: Basic with the credential, or Bearer with a token from the
/// challenge's realm for the scopes a request needs (anonymous when there is no credential).
/// Tokens are cached per scope set until shortly before they expire. Credentials are looked up
/// only when a challenge asks for them.
/// </summary>
internal sealed class RegistryAuthenticator
{
    private static readonly TimeSpan ExpiryMargin = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A token answer is a few kilobytes of JSON (a JWT and its lifetime); nothing declares its
    /// size, so it is read no further than this. An endless answer then costs 1 MiB, not the memory.
    /// </summary>
    public const long MaxTokenAnswerSize = 1 << 20;

    private readonly string _registry;
    private readonly RegistryOptions _options;
    private readonly HttpClient _http;
    private readonly Lazy<RegistryCredential?> _credential;
    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset Expires)> _tokens = new();
    private readonly SemaphoreSlim _fetchLock = new(1, 1);
    private volatile AuthChallenge? _challenge;

    public RegistryAuthenticator(string registry, bool forPush, RegistryOptions options, HttpClient http)
    {
        _registry = registry;
        _options = options;
        _http = http;
        _credential = new Lazy<RegistryCredential?>(() => new CredentialResolver(options).Resolve(registry, forPush));
    }

    public RegistryCredential? Credential => _credential.Value;

    public void Learn(AuthChallenge? challenge)
    {
        if (challenge is not null) _challenge = challenge;
    }

    /// <summary>The Authorization header for a request needing <paramref name="scopes"/>, or null when the registry asked for none.</summary>
    public async Task<AuthenticationHeaderValue?> HeaderAsync(IReadOnlyList<string> scopes, bool renew, CancellationToken ct)
    {
        var challenge = _challenge;
        if (challenge is null) return null;
        if (challenge.IsBasic)
            return Credential is { IsIdentityToken: false } c ? new AuthenticationHeaderValue("Basic", c.BasicValue) : null;
        return new AuthenticationHeaderValue("Bearer", await TokenAsync(challenge, scopes, renew, ct));
    }

    /// <summary>The error for a request the registry still refused after authentication.</summary>
    public ModulusException Refused(HttpResponseMessage response, RegistryRequest request)
    {
        var credential = Credential;
        if (credential is null) return new ModulusException(Errors.RegistryAuthenticationRequired, _registry, request.Repository);
        var insufficientScope = AuthChallenge.From(response)?.Error == "insufficient_scope";
        return response.StatusCode == HttpStatusCode.Forbidden || insufficientScope
            ? new ModulusException(Errors.RegistryAccessDenied, _registry, request.Action, request.Repository, credential.Source)
            : new ModulusException(Errors.RegistryCredentialsRejected, _registry, request.Repository, credential.Source);
    }

    private async Task<string> TokenAsync(AuthChallenge challenge, IReadOnlyList<string> scopes, bool renew, CancellationToken ct)
    {
        var key = string.Join(' ', scopes);
        if (!renew && _tokens.TryGetValue(key, out var cached) && cached.Expires > _options.Time.GetUtcNow()) return cached.Token;
        await _fetchLock.WaitAsync(ct);
        try
        {
            if (!renew && _tokens.TryGetValue(key, out cached) && cached.Expires > _options.Time.GetUtcNow()) return cached.Token;
            var fetched = await FetchTokenAsync(challenge, scopes, ct);
            _tokens[key] = fetched;
            return fetched.Token;
        }
        finally
        {
            _fetchLock.Release();
        }
    }

    private async Task<(string Token, DateTimeOffset Expires)> FetchTokenAsync(AuthChallenge challenge, IReadOnlyList<string> scopes, CancellationToken ct)
    {
        var realm = RealmOf(challenge);
        var credential = Credential;
        using var request = credential is { IsIdentityToken: true }
            ? RefreshTokenRequest(realm, challenge.Service, scopes, credential)
            : new HttpRequestMessage(HttpMethod.Get, WithQuery(realm, challenge.Service, scopes));
        if (credential is { IsIdentityToken: false }) request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credential.BasicValue);

        // Headers only: the body is read below, within its limit, instead of buffered whole.
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw credential is null
                ? new ModulusException(Errors.RegistryAuthenticationRequired, _registry, RepositoryOf(scopes))
                : new ModulusException(Errors.RegistryCredentialsRejected, _registry, RepositoryOf(scopes), credential.Source);
        }
        if (TransientFailure.IsTransient(response.StatusCode))
            throw TransientFailure.Of(response, $"the token service answered HTTP {(int)response.StatusCode}", _options.Time);
        if (!response.IsSuccessStatusCode)
            throw new ModulusException(Errors.RegistryRequestFailed, "Getting a token", realm.GetLeftPart(UriPartial.Path), $"HTTP {(int)response.StatusCode}");
        return ParseToken(await ReadAnswerAsync(response, realm, ct), realm);
    }

    private async Task<byte[]> ReadAnswerAsync(HttpResponseMessage response, Uri realm, CancellationToken ct)
    {
        await using var body = BoundedReadStream.AtMost(await response.Content.ReadAsStreamAsync(ct), MaxTokenAnswerSize,
            held => new ModulusException(Errors.RegistryTokenTooLarge, _registry, realm.GetLeftPart(UriPartial.Path), held));
        using var buffer = new MemoryStream();
        await body.CopyToAsync(buffer, ct);
        return buffer.ToArray();
    }

    private (string Token, DateTimeOffset Expires) ParseToken(byte[] body, Uri realm)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var token = (root.TryGetProperty("token", out var t) ? t.GetString() : null)
                ?? (root.TryGetProperty("access_token", out var a) ? a.GetString() : null);
            if (string.IsNullOrEmpty(token)) throw new JsonException("no token");
            // The token spec's default lifetime is 60 seconds.
            var lifetime = root.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var seconds) && seconds > 0 ? seconds : 60;
            return (token, _options.Time.GetUtcNow() + TimeSpan.FromSeconds(lifetime) - ExpiryMargin);
        }
        catch (JsonException)
        {
            throw new ModulusException(Errors.RegistryRequestFailed, "Getting a token", realm.GetLeftPart(UriPartial.Path), "an answer that holds no token");
        }
    }

    /// <summary>The realm, refused when credentials would cross the network in clear text.</summary>
    private Uri RealmOf(AuthChallenge challenge)
    {
        if (!Uri.TryCreate(challenge.Realm, UriKind.Absolute, out var realm) || realm.Scheme is not ("https" or "http"))
            throw new ModulusException(Errors.RegistryRequestFailed, "Authenticating", _registry, $"a challenge whose realm '{challenge.Realm}' is not an http(s) URL");
        var host = realm.IsDefaultPort ? realm.Host : $"{realm.Host}:{realm.Port}";
        if (realm.Scheme == "http" && !RegistryHosts.IsLoopback(realm.Host) && !RegistryHosts.IsListedInsecure(host, _options))
            throw new ModulusException(Errors.InsecureTokenRealm, _registry, realm.GetLeftPart(UriPartial.Path), host);
        return realm;
    }

    private static Uri WithQuery(Uri realm, string? service, IReadOnlyList<string> scopes)
    {
        var query = new List<string>();
        if (service is not null) query.Add("service=" + Uri.EscapeDataString(service));
        query.AddRange(scopes.Select(s => "scope=" + Uri.EscapeDataString(s)));
        var separator = realm.Query.Length > 0 ? "&" : "?";
        return query.Count == 0 ? realm : new Uri(realm + separator + string.Join('&', query));
    }

    /// <summary>An identity token is an OAuth2 refresh token: it is exchanged by a form POST.</summary>
    private static HttpRequestMessage RefreshTokenRequest(Uri realm, string? service, IReadOnlyList<string> scopes, RegistryCredential credential)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = credential.Secret,
            ["client_id"] = "modulus",
            ["scope"] = string.Join(' ', scopes),
        };
        if (service is not null) form["service"] = service;
        return new HttpRequestMessage(HttpMethod.Post, realm) { Content = new FormUrlEncodedContent(form) };
    }

    private static string RepositoryOf(IReadOnlyList<string> scopes) =>
        scopes.Select(s => s.Split(':')).Where(p => p.Length == 3).Select(p => p[1]).FirstOrDefault() ?? "(registry)";
}
