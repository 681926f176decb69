using System.Diagnostics;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Modulus.Tests.TestSupport;

/// <summary>
/// A Docker daemon for integration tests: the one MODULUS_TEST_DOCKER_HOST names, or else a private
/// dockerd started here (as root, vfs storage, no networking, every path in its own short temp
/// folder so it cannot disturb a daemon already on the machine) and stopped by its PID on dispose.
/// On a daemon named by MODULUS_TEST_DOCKER_HOST, dispose removes the images that appeared since
/// start: with vfs storage every layer of a loaded image is a full copy of its file system, and a
/// whole run would otherwise leave gigabytes behind. Fixtures run one at a time, so an image
/// another fixture still uses is never among them.
/// Use from [OneTimeSetUp]/[OneTimeTearDown].
/// </summary>
public sealed class Dockerd : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly Process? _process;
    private readonly string? _root;
    private readonly HashSet<string> _imagesAtStart;

    private Dockerd(string host, Process? process, string? root, HashSet<string> imagesAtStart)
    {
        Host = host;
        _process = process;
        _root = root;
        _imagesAtStart = imagesAtStart;
    }

    /// <summary>The daemon's address, e.g. unix:///tmp/mdk-1a2b3c/docker.sock.</summary>
    public string Host { get; }

    public DockerClient CreateClient() => new DockerClientConfiguration(new Uri(Host)).CreateClient();

    public static async Task<Dockerd> StartAsync()
    {
        if (Environment.GetEnvironmentVariable("MODULUS_TEST_DOCKER_HOST") is { Length: > 0 } existing)
        {
            var shared = new Dockerd(existing, null, null, []);
            shared._imagesAtStart.UnionWith(await shared.ImageIdsAsync().ConfigureAwait(false));
            return shared;
        }
        var dockerd = Tools.Require("dockerd");
        if (!Environment.IsPrivilegedProcess)
        {
            var message = "dockerd needs root; run as root or set MODULUS_TEST_DOCKER_HOST to a running daemon.";
            if (Tools.InCi) Assert.Fail(message);
            Assert.Ignore(message);
        }
        // A unix socket path may hold at most 107 bytes: keep the folder short.
        var root = Path.Combine("/tmp", "mdk-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        var info = new ProcessStartInfo(dockerd)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
        {
            "--storage-driver=vfs", "--iptables=false", "--ip6tables=false", "--bridge=none",
            "-H", $"unix://{root}/docker.sock", "--data-root", $"{root}/data", "--exec-root", $"{root}/exec",
            "--pidfile", $"{root}/docker.pid",
        })
        {
            info.ArgumentList.Add(argument);
        }
        var process = Process.Start(info)!;
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var started = new Dockerd($"unix://{root}/docker.sock", process, root, []);
        if (await started.WaitForPingAsync().ConfigureAwait(false)) return started;
        started.Dispose();
        Assert.Fail($"dockerd did not answer /_ping within {StartTimeout}:\n{string.Join('\n', log.TakeLast(40))}");
        return null!;
    }

    private async Task<bool> WaitForPingAsync()
    {
        using var client = CreateClient();
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline && _process is { HasExited: false })
        {
            try
            {
                using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await client.System.PingAsync(attempt.Token).ConfigureAwait(false);
                return true;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException or DockerApiException)
            {
                await Task.Delay(250).ConfigureAwait(false);
            }
        }
        return false;
    }

    private async Task<List<string>> ImageIdsAsync()
    {
        using var client = CreateClient();
        var images = await client.Images.ListImagesAsync(new ImagesListParameters { All = true }).ConfigureAwait(false);
        return images.Select(image => image.ID).ToList();
    }

    private async Task RemoveNewImagesAsync()
    {
        using var client = CreateClient();
        foreach (var id in await ImageIdsAsync().ConfigureAwait(false))
        {
            if (_imagesAtStart.Contains(id)) continue;
            try
            {
                await client.Images.DeleteImageAsync(id, new ImageDeleteParameters { Force = true }).ConfigureAwait(false);
            }
            catch (DockerApiException)
            {
                // Already gone with a parent, or held by a container a test left: not this fixture's failure.
            }
        }
    }

    /// <summary>
    /// Stops the daemon this instance started (SIGTERM, then wait), never any other; on a shared
    /// daemon, removes the images loaded since start.
    /// </summary>
    public void Dispose()
    {
        if (_process is null)
        {
            RemoveNewImagesAsync().GetAwaiter().GetResult();
            return;
        }
        if (!_process.HasExited)
        {
            Tools.Run(Tools.Require("kill"), ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            if (!_process.WaitForExit(TimeSpan.FromSeconds(60))) _process.Kill();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_root!, recursive: true);
        }
        catch (IOException)
        {
            // A mount dockerd left behind must not fail the run; the folder is in /tmp.
        }
    }
}
