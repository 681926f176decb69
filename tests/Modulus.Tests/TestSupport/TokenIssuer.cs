using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Modulus.Tests.TestSupport;

/// <summary>
/// The token service of the registry token-auth spec, on 127.0.0.1: it checks Basic credentials
/// against <see cref="Users"/> and answers with an RS256 JWT granting the requested scopes (none
/// to anonymous callers). The signing certificate is generated here and handed to the registry
/// as its root certificate bundle; tokens name the key by its libtrust key ID. Users in
/// <see cref="ReadOnlyUsers"/> are granted pull only.
/// </summary>
public sealed class TokenIssuer : IDisposable
{
    public const string Service = "modulus-test-registry";
    public const string Issuer = "modulus-test-issuer";

    private readonly RSA _key = RSA.Create(2048);
    private readonly HttpListener _listener = new();
    private readonly string _keyId;
    private readonly CancellationTokenSource _stop = new();
    private int _tokensIssued;

    public TokenIssuer(IReadOnlyDictionary<string, string> users, IReadOnlySet<string>? readOnlyUsers = null)
    {
        Users = users;
        ReadOnlyUsers = readOnlyUsers ?? new HashSet<string>();
        var request = new CertificateRequest("CN=modulus-test-issuer", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        CertificatePem = certificate.ExportCertificatePem();
        _keyId = LibtrustKeyId(_key.ExportSubjectPublicKeyInfo());
        Port = RegistryServer.FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public IReadOnlyDictionary<string, string> Users { get; }

    public IReadOnlySet<string> ReadOnlyUsers { get; }

    /// <summary>Identity tokens (as docker login stores them) and the user each stands for.</summary>
    public Dictionary<string, string> IdentityTokens { get; } = new(StringComparer.Ordinal);

    public int Port { get; }

    public string Realm => $"http://127.0.0.1:{Port}/token";

    public string CertificatePem { get; }

    public int TokensIssued => Volatile.Read(ref _tokensIssued);

    /// <summary>
    /// The registry's auth section for this issuer, with the certificate at <paramref name="bundlePath"/>;
    /// <paramref name="realm"/> replaces the issuer's own address in the challenge the registry sends.
    /// </summary>
    public string RegistryAuthSection(string bundlePath, string? realm = null)
    {
        File.WriteAllText(bundlePath, CertificatePem);
        return $"token:\n  realm: {realm ?? Realm}\n  service: {Service}\n  issuer: {Issuer}\n  rootcertbundle: {bundlePath}";
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            try
            {
                Answer(context);
            }
            catch (Exception e) when (e is HttpListenerException or IOException)
            {
                // The client went away; nothing to answer.
            }
        }
    }

    private void Answer(HttpListenerContext context)
    {
        var request = context.Request;
        string? user;
        string[] scopes;
        if (request.HttpMethod == "POST")
        {
            // The OAuth2 form an identity token (refresh token) is exchanged with.
            using var reader = new StreamReader(request.InputStream);
            var form = System.Web.HttpUtility.ParseQueryString(reader.ReadToEnd());
            user = form["grant_type"] == "refresh_token" ? IdentityTokens.GetValueOrDefault(form["refresh_token"] ?? string.Empty) : null;
            scopes = (form["scope"] ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        }
        else
        {
            user = Authenticate(request.Headers["Authorization"]);
            scopes = request.QueryString.GetValues("scope") ?? [];
        }
        if (user is null)
        {
            context.Response.StatusCode = 401;
            context.Response.Close();
            return;
        }
        var access = new JsonArray();
        if (user.Length > 0)
        {
            foreach (var scope in scopes.SelectMany(s => s.Split(' ')))
            {
                var parts = scope.Split(':');
                if (parts.Length != 3) continue;
                access.Add(new JsonObject
                {
                    ["type"] = parts[0],
                    ["name"] = parts[1],
                    ["actions"] = new JsonArray(parts[2].Split(',')
                        .Where(a => a == "pull" || !ReadOnlyUsers.Contains(user))
                        .Select(a => (JsonNode)JsonValue.Create(a)!).ToArray()),
                });
            }
        }
        var token = Sign(user, access);
        Interlocked.Increment(ref _tokensIssued);
        var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { token, expires_in = 300 }));
        context.Response.ContentType = "application/json";
        context.Response.ContentLength64 = body.Length;
        context.Response.OutputStream.Write(body);
        context.Response.Close();
    }

    /// <summary>The user name; empty for anonymous; null for wrong credentials.</summary>
    private string? Authenticate(string? header)
    {
        if (string.IsNullOrEmpty(header)) return string.Empty;
        if (!header.StartsWith("Basic ", StringComparison.Ordinal)) return null;
        var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..]));
        var colon = decoded.IndexOf(':');
        if (colon <= 0) return null;
        var user = decoded[..colon];
        return Users.TryGetValue(user, out var password) && password == decoded[(colon + 1)..] ? user : null;
    }

    private string Sign(string subject, JsonArray access)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new JsonObject { ["typ"] = "JWT", ["alg"] = "RS256", ["kid"] = _keyId };
        var claims = new JsonObject
        {
            ["iss"] = Issuer,
            ["sub"] = subject,
            ["aud"] = Service,
            ["exp"] = now + 300,
            ["nbf"] = now - 10,
            ["iat"] = now,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["access"] = access,
        };
        var signingInput = Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url(signature);
    }

    /// <summary>libtrust's key ID: base32 of the first 240 bits of SHA-256(SubjectPublicKeyInfo), in groups of four.</summary>
    private static string LibtrustKeyId(byte[] subjectPublicKeyInfo)
    {
        var hash = SHA256.HashData(subjectPublicKeyInfo)[..30];
        var base32 = Base32(hash);
        return string.Join(':', Enumerable.Range(0, base32.Length / 4).Select(i => base32.Substring(i * 4, 4)));
    }

    private static string Base32(byte[] data)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var output = new StringBuilder();
        int buffer = 0, bits = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                output.Append(alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) output.Append(alphabet[(buffer << (5 - bits)) & 31]);
        return output.ToString();
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        _key.Dispose();
    }
}
