using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Npm;

/// <summary>
/// An npm registry in memory, behind an HttpMessageHandler: packages with versions, each a gzip
/// tarball whose integrity the metadata states (or misstates). Counts the requests it answers.
/// </summary>
public sealed class FakeNpmRegistry : HttpMessageHandler
{
    public const string Url = "http://127.0.0.1:9/npm/";

    private readonly Dictionary<string, JsonObject> _packuments = new();
    private readonly Dictionary<string, byte[]> _tarballs = new();

    public List<string> Requests { get; } = [];

    /// <summary>Answers with 503 this many times before serving, to exercise retries.</summary>
    public int FailuresLeft { get; set; }

    /// <summary>
    /// Publishes a version. <paramref name="served"/>, when given, is what the tarball URL returns
    /// instead of <paramref name="tarball"/> (a tampered copy).
    /// </summary>
    public void Publish(string name, string version, byte[] tarball, byte[]? served = null, string? enginesNode = null, bool sha1Only = false)
    {
        var url = $"{Url}{name}/-/{name}-{version}.tgz";
        _tarballs[url] = served ?? tarball;
        var dist = new JsonObject { ["tarball"] = url, ["shasum"] = Convert.ToHexStringLower(SHA1.HashData(tarball)) };
        if (!sha1Only) dist["integrity"] = "sha512-" + Convert.ToBase64String(SHA512.HashData(tarball));
        var info = new JsonObject { ["name"] = name, ["version"] = version, ["dist"] = dist };
        if (enginesNode is not null) info["engines"] = new JsonObject { ["node"] = enginesNode };
        if (!_packuments.TryGetValue(name, out var packument))
            _packuments[name] = packument = new JsonObject { ["name"] = name, ["versions"] = new JsonObject() };
        packument["versions"]!.AsObject()[version] = info;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var url = request.RequestUri!.ToString();
        Requests.Add(url);
        if (FailuresLeft > 0)
        {
            FailuresLeft--;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
        }
        var name = Uri.UnescapeDataString(url[Url.Length..]);
        if (_packuments.TryGetValue(name, out var packument))
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(packument.ToJsonString()) });
        if (_tarballs.TryGetValue(url, out var bytes))
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(bytes) });
        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound));
    }

    /// <summary>A gzip tarball of <paramref name="entries"/> (see <see cref="TarLayer"/> for making them).</summary>
    public static byte[] Tarball(params TarEntry[] entries)
    {
        var tar = TarLayer.Write(TarEntryFormat.Pax, entries);
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(tar);
        return output.ToArray();
    }

    /// <summary>A package.json as npm packs it.</summary>
    public static TarEntry PackageJson(string name, string version) =>
        TarLayer.File("package/package.json", JsonSerializer.Serialize(new { name, version }));
}
