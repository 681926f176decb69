using System.Net.Http;
using System.Net.Sockets;
using Docker.DotNet;
using Docker.DotNet.Models;
using Modulus.Diagnostics;

namespace Modulus.Daemon;

/// <summary>Loads docker-archive tars into a Docker daemon.</summary>
public static class DockerDaemon
{
    /// <summary>How long a daemon may take to answer a ping before it counts as unreachable.</summary>
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(15);

    public const string DefaultHost = "unix:///var/run/docker.sock";

    /// <summary>The daemon address used when none is given: DOCKER_HOST, else the default socket.</summary>
    public static string ResolveHost(string? dockerHost) =>
        !string.IsNullOrWhiteSpace(dockerHost) ? dockerHost
        : Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } fromEnvironment ? fromEnvironment
        : DefaultHost;

    /// <summary>
    /// Loads <paramref name="tarPath"/> into the daemon at <paramref name="dockerHost"/> (a
    /// unix:// or tcp:// URI); null means DOCKER_HOST, else the default socket.
    /// </summary>
    public static async Task LoadAsync(string tarPath, string? dockerHost, CancellationToken cancellationToken)
    {
        var host = ResolveHost(dockerHost);
        if (!Uri.TryCreate(host, UriKind.Absolute, out var uri))
            throw new ModulusException(Errors.DaemonUnreachable, host, "it is not a unix:// or tcp:// address");
        // No client-wide timeout: loading a large image legitimately takes long; the ping bounds
        // how long an absent daemon can keep the build waiting.
        using var configuration = new DockerClientConfiguration(uri, null, Timeout.InfiniteTimeSpan);
        using var client = configuration.CreateClient();
        await PingAsync(client, host, cancellationToken).ConfigureAwait(false);

        var progress = new ErrorCollector();
        try
        {
            await using var tar = new FileStream(tarPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            await client.Images.LoadImageAsync(new ImageLoadParameters { Quiet = false }, tar, progress, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerApiException e)
        {
            throw new ModulusException(Errors.DaemonLoadFailed, e, host, tarPath, $"{(int)e.StatusCode} {e.ResponseBody.Trim()}");
        }
        catch (Exception e) when (IsConnectionFailure(e) && !cancellationToken.IsCancellationRequested)
        {
            throw new ModulusException(Errors.DaemonUnreachable, e, host, e.Message);
        }
        if (progress.Error is { } error) throw new ModulusException(Errors.DaemonLoadFailed, host, tarPath, error);
    }

    private static async Task PingAsync(DockerClient client, string host, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(PingTimeout);
        try
        {
            await client.System.PingAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ModulusException(Errors.DaemonUnreachable, e, host, $"no answer within {PingTimeout.TotalSeconds:0} seconds");
        }
        catch (Exception e) when (IsConnectionFailure(e) || e is DockerApiException)
        {
            throw new ModulusException(Errors.DaemonUnreachable, e, host, Innermost(e).Message);
        }
    }

    private static bool IsConnectionFailure(Exception e) =>
        e is HttpRequestException or SocketException or IOException or TimeoutException
        || (e.InnerException is { } inner && IsConnectionFailure(inner));

    private static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;

    /// <summary>
    /// docker load answers 200 and then reports failures inside its JSON progress stream, so the
    /// stream must be read for an "error" field.
    /// </summary>
    private sealed class ErrorCollector : IProgress<JSONMessage>
    {
        public string? Error { get; private set; }

        public void Report(JSONMessage value)
        {
            var message = value.Error?.Message is { Length: > 0 } detailed ? detailed : value.ErrorMessage;
            if (!string.IsNullOrEmpty(message)) Error ??= message;
        }
    }
}
