using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Modulus.Diagnostics;
using Modulus.Oci;
using Modulus.Registry;
using Modulus.Storage;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Registry;

/// <summary>
/// A registry that sends more than it declared: an endless body for an 80-byte config, an
/// endless manifest, a Content-Length that is not the blob's size. Each pull fails at once with
/// MOD1020, asks once (a wrong size is not a hiccup worth a retry), and keeps nothing. A token
/// service that answers endlessly is MOD1021 after 1 MiB.
/// </summary>
[NonParallelizable]
public class RegistryBoundsTests
{
    private RegistryTestKit _kit = null!;

    [SetUp]
    public void NewKit() => _kit = new RegistryTestKit();

    [TearDown]
    public void DisposeKit() => _kit.Dispose();

    public static IEnumerable<TestCaseData> Bodies()
    {
        yield return new TestCaseData(HostileRegistry.Answer.EndlessConfig, "more than the 80 bytes declared")
            .SetName("An endless body for an 80-byte config is MOD1020 after 81 bytes, and nothing is kept");
        yield return new TestCaseData(HostileRegistry.Answer.EndlessManifest, "more than the 4194304 bytes allowed")
            .SetName("An endless manifest is MOD1020 after 4 MiB, and nothing is kept");
        yield return new TestCaseData(HostileRegistry.Answer.ConfigWithWrongLength, "a body of 1000000000 bytes, not the 80 declared")
            .SetName("A Content-Length other than the config's size is MOD1020 before the body is read");
        yield return new TestCaseData(HostileRegistry.Answer.ShortConfig, "40 bytes, not the 80 declared")
            .SetName("A config body that ends short of its size is MOD1020");
    }

    [TestCaseSource(nameof(Bodies))]
    [CancelAfter(60_000)]
    public async Task A_body_beyond_its_declared_size_is_refused_at_once(HostileRegistry.Answer answer, string held)
    {
        using var registry = new HostileRegistry(answer);
        var store = _kit.NewStore();
        var clock = Stopwatch.StartNew();

        var e = Bounded.Within(TimeSpan.FromSeconds(30), () => RegistryTestKit.FailsWith(Errors.RegistrySizeMismatch,
            () => RegistryImageSource.PullAsync(RegistryTestKit.Reference(registry.Address, "hostile/app", "v1"), Platform.LinuxAmd64, store, _kit.Options)).Result);

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
        e.Message.ShouldContain(registry.Address);
        e.Message.ShouldContain(held);
        registry.BodyRequests.ShouldBe(1, "a body of the wrong size is not asked for again");
        registry.BytesSent.ShouldBeLessThan(64L << 20, "the endless body is read no further than its limit (and the socket's buffers)");
        store.Contains(HostileRegistry.ConfigDigest).ShouldBeFalse();
        // The manifest, when it was whole, is kept with its tag record, as for any pull; nothing else is.
        StoredFiles(store).Where(f => !f.EndsWith(registry.ManifestDigest.Encoded, StringComparison.Ordinal) && !f.Contains("/registry/tags/", StringComparison.Ordinal))
            .ShouldBeEmpty();
    }

    [Test]
    [CancelAfter(60_000)]
    public void An_endless_token_answer_is_MOD1021_after_1_MiB_and_asked_for_once()
    {
        using var registry = new HostileRegistry(HostileRegistry.Answer.EndlessToken);
        var clock = Stopwatch.StartNew();

        var e = Bounded.Within(TimeSpan.FromSeconds(30), () => RegistryTestKit.FailsWith(Errors.RegistryTokenTooLarge,
            () => RegistryImageSource.PullAsync(RegistryTestKit.Reference(registry.Address, "hostile/app", "v1"), Platform.LinuxAmd64, _kit.NewStore(), _kit.Options)).Result);

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
        e.Message.ShouldContain(registry.Address);
        e.Message.ShouldContain($"http://{registry.Address}/token");
        e.Message.ShouldContain("more than the 1048576 bytes allowed");
        registry.BodyRequests.ShouldBe(1, "an answer too large is not asked for again");
        registry.BytesSent.ShouldBeLessThan(64L << 20, "the endless answer is read no further than its limit (and the socket's buffers)");
    }

    private static string[] StoredFiles(BlobStore store) =>
        Directory.Exists(store.Root) ? Directory.EnumerateFiles(store.Root, "*", SearchOption.AllDirectories).ToArray() : [];

    /// <summary>
    /// Answers /v2/ and one image whose config is 80 bytes; then misbehaves as <see cref="Answer"/>
    /// says, streaming zeros until the client goes away where the answer is endless. With
    /// <see cref="Answer.EndlessToken"/> it asks for a bearer token from its own /token, which is endless.
    /// </summary>
    public sealed class HostileRegistry : LoopbackServer
    {
        public enum Answer { EndlessConfig, EndlessManifest, ConfigWithWrongLength, ShortConfig, EndlessToken }

        private static readonly byte[] Config = Encoding.ASCII.GetBytes(
            """{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}""".PadRight(80));

        private readonly Answer _answer;
        private readonly byte[] _manifest;
        private long _bytesSent;
        private int _bodyRequests;

        public HostileRegistry(Answer answer)
        {
            _answer = answer;
            _manifest = Encoding.UTF8.GetBytes($$"""
                {"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}","config":{"mediaType":"{{MediaTypes.OciConfig}}","digest":"{{Digest.Compute(Config)}}","size":{{Config.Length}}},"layers":[]}
                """);
            Start();
        }

        public static Digest ConfigDigest => Digest.Compute(Config);

        public Digest ManifestDigest => Digest.Compute(_manifest);

        public long BytesSent => Interlocked.Read(ref _bytesSent);

        /// <summary>Requests for the body that misbehaves.</summary>
        public int BodyRequests => Volatile.Read(ref _bodyRequests);

        protected override async Task ServeAsync(Socket client, NetworkStream stream, CancellationToken ct)
        {
            var head = await HttpHead.ReadAsync(stream, ct);
            if (head is null) return;
            var path = head.FirstLine.Split(' ')[1];
            var manifest = path.Contains("/manifests/", StringComparison.Ordinal);
            var blob = path.Contains("/blobs/", StringComparison.Ordinal);
            var token = path.StartsWith("/token", StringComparison.Ordinal);
            if (_answer switch { Answer.EndlessManifest => manifest, Answer.EndlessToken => token, _ => blob }) Interlocked.Increment(ref _bodyRequests);
            switch (_answer)
            {
                case Answer.EndlessToken when !token && head.Header("Authorization") is null:
                    await SendAsync(stream, $"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer realm=\"http://{Address}/token\",service=\"hostile\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", [], ct);
                    return;
                case Answer.EndlessToken when token:
                case Answer.EndlessManifest when manifest:
                case Answer.EndlessConfig when blob:
                    await SendAsync(stream, $"HTTP/1.1 200 OK\r\nContent-Type: {(token ? "application/json" : MediaTypes.OciManifest)}\r\nConnection: close\r\n\r\n", [], ct);
                    var zeros = new byte[1 << 16];
                    while (true) await SendAsync(stream, null, zeros, ct);
                case Answer.ConfigWithWrongLength when blob:
                    await SendAsync(stream, "HTTP/1.1 200 OK\r\nContent-Length: 1000000000\r\nConnection: close\r\n\r\n", Config, ct);
                    return;
                case Answer.ShortConfig when blob:
                    await SendAsync(stream, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n", Config[..40], ct);
                    return;
                default:
                    var body = manifest ? _manifest : Encoding.ASCII.GetBytes("{}");
                    var type = manifest ? MediaTypes.OciManifest : "application/json";
                    await SendAsync(stream, $"HTTP/1.1 200 OK\r\nContent-Type: {type}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n", body, ct);
                    return;
            }
        }

        private async Task SendAsync(NetworkStream stream, string? head, byte[] body, CancellationToken ct)
        {
            if (head is not null) await stream.WriteAsync(Encoding.ASCII.GetBytes(head), ct);
            await stream.WriteAsync(body, ct);
            Interlocked.Add(ref _bytesSent, body.Length);
        }
    }
}
