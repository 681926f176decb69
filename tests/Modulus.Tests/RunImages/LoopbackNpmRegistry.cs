using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Modulus.Tests.Npm;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.RunImages;

/// <summary>
/// A small npm registry on 127.0.0.1 for the npm CLI in a build container (on the host's network):
/// it serves the packuments and tarballs of the packages it is given, which it packs itself. A
/// package of <see cref="PrivateScope"/> is served only to a request that carries the token
/// (<c>Authorization: Bearer</c>); others get 401, as a private registry answers.
/// </summary>
internal sealed class LoopbackNpmRegistry : LoopbackServer
{
    public const string PrivateScope = "@private";

    private readonly Dictionary<string, JsonObject> _packuments = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> _tarballs = new(StringComparer.Ordinal);
    private readonly string _token;

    public LoopbackNpmRegistry(string token, TimeSpan lifetime) : base(lifetime)
    {
        _token = token;
        Start();
    }

    public string Url => $"http://{Address}/";

    /// <summary>Every request's path, and whether it carried the token, in order.</summary>
    public List<(string Path, bool Authorized)> Requests { get; } = [];

    /// <summary>Packs and serves one version of a package whose files are given by path (package.json is added).</summary>
    public void Publish(string name, string version, params (string Path, string Text)[] files)
    {
        var baseName = name.Split('/')[^1];
        var packageJson = new JsonObject { ["name"] = name, ["version"] = version, ["main"] = "index.js" }.ToJsonString();
        var tarball = FakeNpmRegistry.Tarball([TarLayer.File("package/package.json", packageJson), .. files.Select(f => TarLayer.File("package/" + f.Path, f.Text))]);
        var tarballPath = $"/{name}/-/{baseName}-{version}.tgz";
        lock (_tarballs) _tarballs[tarballPath] = tarball;
        var dist = new JsonObject
        {
            ["tarball"] = Url.TrimEnd('/') + tarballPath,
            ["integrity"] = "sha512-" + Convert.ToBase64String(SHA512.HashData(tarball)),
            ["shasum"] = Convert.ToHexStringLower(SHA1.HashData(tarball)),
        };
        var packument = new JsonObject
        {
            ["name"] = name,
            ["dist-tags"] = new JsonObject { ["latest"] = version },
            ["versions"] = new JsonObject { [version] = new JsonObject { ["name"] = name, ["version"] = version, ["main"] = "index.js", ["dist"] = dist } },
        };
        lock (_packuments) _packuments["/" + name] = packument;
    }

    protected override async Task ServeAsync(Socket client, NetworkStream stream, CancellationToken ct)
    {
        var head = await HttpHead.ReadAsync(stream, ct);
        if (head is null) return;
        var path = Uri.UnescapeDataString(head.FirstLine.Split(' ')[1].Split('?')[0]);
        var authorized = head.Header("Authorization") == "Bearer " + _token;
        lock (Requests) Requests.Add((path, authorized));
        byte[]? body;
        string type;
        lock (_packuments) body = _packuments.TryGetValue(path, out var packument) ? Encoding.UTF8.GetBytes(packument.ToJsonString()) : null;
        type = "application/json";
        if (body is null)
        {
            lock (_tarballs) body = _tarballs.GetValueOrDefault(path);
            type = "application/octet-stream";
        }
        var status = body is null ? "404 Not Found" : path.StartsWith("/" + PrivateScope + "/", StringComparison.Ordinal) && !authorized ? "401 Unauthorized" : "200 OK";
        if (status != "200 OK")
        {
            body = Encoding.UTF8.GetBytes($$"""{"error":"{{status}}"}""");
            type = "application/json";
        }
        var answer = $"HTTP/1.1 {status}\r\nContent-Type: {type}\r\nContent-Length: {body!.Length}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(answer), ct);
        await stream.WriteAsync(body, ct);
    }
}
