using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;

namespace Modulus.Tests.Debian;

/// <summary>
/// A Debian mirror in memory, served through an HttpMessageHandler: packages go into a Packages
/// index, the index into a Release, and the Release is clear-signed with a key made for the test.
/// Every request is counted; <see cref="Override"/> serves other bytes at a path to play an attacker.
/// </summary>
public sealed class FakeMirror : HttpMessageHandler
{
    public const string Root = "http://mirror.invalid/debian";

    private static readonly Lazy<PgpKeyPair> SharedKey = new(() => NewKey());
    private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, List<string>> _stanzas = new(StringComparer.Ordinal) { ["amd64"] = [] };

    public ConcurrentQueue<string> Requests { get; } = new();

    public Dictionary<string, byte[]> Override { get; } = new(StringComparer.Ordinal);

    /// <summary>How many of the next requests get 503 Service Unavailable.</summary>
    public int Unavailable { get; set; }

    public static PgpKeyPair Key => SharedKey.Value;

    /// <summary>
    /// Adds a package to the index of <paramref name="architecture"/>; one of Architecture: all
    /// goes into every architecture's index, as Debian's archive lists it.
    /// </summary>
    public void Add(string name, string version, byte[] deb, string extraFields = "", string architecture = "amd64")
    {
        var filename = $"pool/main/{name[0]}/{name}/{name}_{version}_{architecture}.deb";
        _files[filename] = deb;
        var stanza = $"Package: {name}\nVersion: {version}\nArchitecture: {architecture}\n{extraFields}" +
            $"Filename: {filename}\nSize: {deb.Length}\nSHA256: {Hex(deb)}\nDescription: fixture\n";
        if (architecture == "all")
            foreach (var list in _stanzas.Values) list.Add(stanza);
        else
            (_stanzas.TryGetValue(architecture, out var list) ? list : _stanzas[architecture] = []).Add(stanza);
    }

    /// <summary>Takes a package's .deb off the mirror, as Debian does with a superseded version; its index entry stays until the next <see cref="Publish"/>.</summary>
    public void Drop(string name, string version, string architecture = "amd64") => _files.Remove($"pool/main/{name[0]}/{name}/{name}_{version}_{architecture}.deb");

    /// <summary>Writes Packages.gz, Release and InRelease (signed by <paramref name="signer"/>, the test key by default).</summary>
    public void Publish(PgpKeyPair? signer = null, string codename = "bookworm", string? validUntil = null, bool byHash = false)
    {
        var hashes = new StringBuilder();
        foreach (var (architecture, stanzas) in _stanzas)
        {
            var packages = Gzip(Encoding.UTF8.GetBytes(string.Join("\n", stanzas)));
            var folder = $"dists/bookworm/main/binary-{architecture}";
            _files[byHash ? $"{folder}/by-hash/SHA256/{Hex(packages)}" : $"{folder}/Packages.gz"] = packages;
            hashes.Append($"\n {Hex(packages)} {packages.Length} main/binary-{architecture}/Packages.gz");
        }
        var release = $"Origin: Test\nSuite: stable\nCodename: {codename}\nDate: Sat, 01 Nov 2025 00:00:00 UTC\n{(validUntil is null ? "" : $"Valid-Until: {validUntil}\n")}{(byHash ? "Acquire-By-Hash: yes\n" : "")}Architectures: {string.Join(" ", _stanzas.Keys)}\nComponents: main\nSHA256:{hashes}";
        _files["dists/bookworm/InRelease"] = Encoding.UTF8.GetBytes(ClearSign(release, signer ?? Key));
    }

    public byte[] this[string path] => _files[path];

    /// <summary>Writes the public key as a binary keyring, as debian-archive-keyring ships it.</summary>
    public static void WriteKeyring(string path, PgpKeyPair key)
    {
        var generator = new PgpKeyRingGenerator(PgpSignature.PositiveCertification, key, "Test Archive <archive@invalid>",
            SymmetricKeyAlgorithmTag.Null, Array.Empty<char>(), false, null, null, new SecureRandom());
        File.WriteAllBytes(path, generator.GeneratePublicKeyRing().GetEncoded());
    }

    public static PgpKeyPair NewKey()
    {
        var generator = new RsaKeyPairGenerator();
        generator.Init(new RsaKeyGenerationParameters(BigInteger.ValueOf(65537), new SecureRandom(), 2048, 12));
        return new PgpKeyPair(PublicKeyAlgorithmTag.RsaGeneral, generator.GenerateKeyPair(), new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc));
    }

    public static string ClearSign(string text, PgpKeyPair key)
    {
        var signer = new PgpSignatureGenerator(PublicKeyAlgorithmTag.RsaGeneral, HashAlgorithmTag.Sha256);
        signer.InitSign(PgpSignature.CanonicalTextDocument, key.PrivateKey);
        signer.Update(Encoding.UTF8.GetBytes(text));
        var armored = new MemoryStream();
        using (var armor = new ArmoredOutputStream(armored)) signer.Generate().Encode(armor);
        return $"-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n{text}\n{Encoding.ASCII.GetString(armored.ToArray())}";
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!.ToString();
        Requests.Enqueue(uri);
        if (Unavailable > 0)
        {
            Unavailable--;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
        }
        var path = uri.StartsWith(Root + "/", StringComparison.Ordinal) ? uri[(Root.Length + 1)..] : uri;
        var body = Override.GetValueOrDefault(path) ?? _files.GetValueOrDefault(path);
        return Task.FromResult(body is null
            ? new HttpResponseMessage(HttpStatusCode.NotFound)
            : new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) });
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static byte[] Gzip(byte[] bytes)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(bytes);
        return output.ToArray();
    }
}
