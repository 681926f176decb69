using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Modulus.Diagnostics;
using Modulus.Layers;
using Modulus.Npm;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Npm;

/// <summary>
/// An npm registry that sends without end, or not at all: endless metadata, an endless tarball
/// (with and without the sizes its metadata declares), a server that accepts and never answers.
/// Each install fails within seconds with its code, asks once where the answer was too large,
/// and leaves nothing in the cache.
/// </summary>
[NonParallelizable]
public class NpmRegistryBoundsTests
{
    private TempDirectory _cache = null!;

    [SetUp]
    public void NewCache() => _cache = new TempDirectory("npm-bounds");

    [TearDown]
    public void DisposeCache() => _cache.Dispose();

    private Task Install(string registry, NpmLimits limits) =>
        NpmPackageInstaller.InstallAsync(new NpmPackageRequest("left-pad", "1.3.0", UnixPath.Parse("/app/node_modules/left-pad")),
            new NpmOptions(_cache.Path, $"http://{registry}/") { Limits = limits }, new RecordingLog(), CancellationToken.None);

    private static ModulusException FailsWith(ErrorCode error, Func<Task> install) =>
        Bounded.Within(TimeSpan.FromSeconds(30), () =>
        {
            var e = Should.Throw<ModulusException>(install);
            e.Code.ShouldBe(error.Code, e.Message);
            return e;
        });

    public static IEnumerable<TestCaseData> Bodies()
    {
        yield return new TestCaseData(HostileNpmRegistry.Answer.EndlessPackument, 1L << 20,
                new[] { "more than the 1048576 bytes allowed", "the metadata of left-pad", "package metadata is read up to 1 MiB" })
            .SetName("Endless package metadata is MOD1022 past its limit");
        yield return new TestCaseData(HostileNpmRegistry.Answer.EndlessTarballDeclared, 2L << 20,
                new[] { "more than the 1058825 bytes allowed", "the tarball of left-pad@1.3.0", "unpacks to 1000 bytes in 2 files" })
            .SetName("An endless tarball whose metadata declares its unpacked size is MOD1022 past the size that implies");
        yield return new TestCaseData(HostileNpmRegistry.Answer.EndlessTarball, 2L << 20,
                new[] { "more than the 2097152 bytes allowed", "the tarball of left-pad@1.3.0", "no dist.unpackedSize" })
            .SetName("An endless tarball whose metadata declares no size is MOD1022 past the cap");
    }

    /// <summary>
    /// <paramref name="cap"/> replaces both documented caps (256 MiB of metadata, 1 GiB of tarball)
    /// to keep the test short; a tarball whose metadata declares its size is held to that, below the cap.
    /// </summary>
    [TestCaseSource(nameof(Bodies))]
    [CancelAfter(60_000)]
    public void An_endless_answer_is_refused_past_its_limit_and_nothing_is_kept(HostileNpmRegistry.Answer answer, long cap, string[] told)
    {
        using var registry = new HostileNpmRegistry(answer);
        var clock = Stopwatch.StartNew();

        var e = FailsWith(Errors.NpmAnswerTooLarge, () => Install(registry.Address, NpmLimits.Default with { MaxPackumentSize = cap, MaxTarballSize = cap }));

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
        e.Message.ShouldContain($"http://{registry.Address}/");
        foreach (var text in told) e.Message.ShouldContain(text);
        registry.BodyRequests.ShouldBe(1, "an answer too large is not asked for again");
        registry.BytesSent.ShouldBeLessThan(64L << 20, "the endless body is read no further than its limit (and the socket's buffers)");
        Directory.EnumerateFiles(_cache.Path, "*", SearchOption.AllDirectories).ShouldBeEmpty();
    }

    [Test]
    [CancelAfter(60_000)]
    public void A_silent_registry_is_MOD3107_at_the_overall_deadline_whatever_the_attempt_timeout()
    {
        using var silent = new SilentServer();
        var clock = Stopwatch.StartNew();

        var e = FailsWith(Errors.NpmRegistryFailed,
            () => Install(silent.Address, NpmLimits.Default with { AttemptTimeout = TimeSpan.FromMinutes(5), Deadline = TimeSpan.FromSeconds(2) }));

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
        e.Message.ShouldContain(silent.Address);
        e.Message.ShouldContain("deadline of 2 seconds");
        silent.Connections.ShouldBe(1);
    }

    /// <summary>
    /// Serves left-pad 1.3.0's metadata and tarball on 127.0.0.1, one of them endless as
    /// <see cref="Answer"/> says: spaces inside the metadata's JSON, zeros for a tarball.
    /// </summary>
    public sealed class HostileNpmRegistry : LoopbackServer
    {
        public enum Answer { EndlessPackument, EndlessTarball, EndlessTarballDeclared }

        private readonly Answer _answer;
        private long _bytesSent;
        private int _bodyRequests;

        public HostileNpmRegistry(Answer answer)
        {
            _answer = answer;
            Start();
        }

        public long BytesSent => Interlocked.Read(ref _bytesSent);

        /// <summary>Requests for the body that misbehaves.</summary>
        public int BodyRequests => Volatile.Read(ref _bodyRequests);

        private string Packument()
        {
            var sizes = _answer == Answer.EndlessTarballDeclared ? ""","unpackedSize":1000,"fileCount":2""" : "";
            var dist = $$"""{"tarball":"http://{{Address}}/left-pad/-/left-pad-1.3.0.tgz","integrity":"sha512-{{Convert.ToBase64String(new byte[64])}}"{{sizes}}}""";
            return """{"name":"left-pad","versions":{"1.3.0":{"name":"left-pad","version":"1.3.0","dist":""" + dist + "}}}";
        }

        protected override async Task ServeAsync(Socket client, NetworkStream stream, CancellationToken ct)
        {
            var head = await HttpHead.ReadAsync(stream, ct);
            if (head is null) return;
            var tarball = head.FirstLine.Split(' ')[1].EndsWith(".tgz", StringComparison.Ordinal);
            var endless = _answer == Answer.EndlessPackument ? !tarball : tarball;
            if (endless) Interlocked.Increment(ref _bodyRequests);
            if (!endless)
            {
                var body = Encoding.UTF8.GetBytes(Packument());
                await SendAsync(stream, $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n", body, ct);
                return;
            }
            var (type, start, fill) = tarball
                ? ("application/octet-stream", Array.Empty<byte>(), (byte)0)
                : ("application/json", """{"name":"left-pad","versions":{"""u8.ToArray(), (byte)' ');
            await SendAsync(stream, $"HTTP/1.1 200 OK\r\nContent-Type: {type}\r\nConnection: close\r\n\r\n", start, ct);
            var chunk = Enumerable.Repeat(fill, 1 << 16).ToArray();
            while (true) await SendAsync(stream, null, chunk, ct);
        }

        private async Task SendAsync(NetworkStream stream, string? head, byte[] body, CancellationToken ct)
        {
            if (head is not null) await stream.WriteAsync(Encoding.ASCII.GetBytes(head), ct);
            await stream.WriteAsync(body, ct);
            Interlocked.Add(ref _bytesSent, body.Length);
        }
    }
}
