using System.Net.Http;
using System.Net.Sockets;
using Docker.DotNet;
using Modulus.Diagnostics;

namespace Modulus.Daemon;

/// <summary>
/// A client of one Docker daemon that answered a ping. Loading an image and running the run-time
/// checks share it, so each reports an absent daemon the same way, under its own code.
/// </summary>
public sealed class DaemonConnection : IDisposable
{
    /// <summary>How long a daemon may take to answer a ping before it counts as unreachable.</summary>
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(15);

    private readonly DockerClientConfiguration _configuration;

    private DaemonConnection(string host, DockerClientConfiguration configuration)
    {
        Host = host;
        _configuration = configuration;
        Client = configuration.CreateClient();
    }

    /// <summary>The daemon's address, as the user gave it or DOCKER_HOST or the default socket.</summary>
    public string Host { get; }

    public DockerClient Client { get; }

    /// <summary>
    /// Connects to <paramref name="dockerHost"/> (null means DOCKER_HOST, else the default socket)
    /// and pings it; an address that is not a URI, a refused connection or no answer is
    /// <paramref name="unreachable"/> with the host and the reason.
    /// </summary>
    public static async Task<DaemonConnection> OpenAsync(string? dockerHost, ErrorCode unreachable, CancellationToken cancellationToken)
    {
        var host = DockerDaemon.ResolveHost(dockerHost);
        if (!Uri.TryCreate(host, UriKind.Absolute, out var uri))
            throw new ModulusException(unreachable, host, "it is not a unix:// or tcp:// address");
        // No client-wide timeout: loading a large image legitimately takes long; the ping bounds
        // how long an absent daemon can keep the build waiting.
        var connection = new DaemonConnection(host, new DockerClientConfiguration(uri, null, Timeout.InfiniteTimeSpan));
        try
        {
            await connection.PingAsync(unreachable, cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private async Task PingAsync(ErrorCode unreachable, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(PingTimeout);
        try
        {
            await Client.System.PingAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ModulusException(unreachable, e, Host, $"no answer within {PingTimeout.TotalSeconds:0} seconds");
        }
        catch (Exception e) when (IsConnectionFailure(e) || e is DockerApiException)
        {
            throw new ModulusException(unreachable, e, Host, Innermost(e).Message);
        }
    }

    /// <summary>Whether <paramref name="e"/> says the daemon could not be reached, rather than that it refused a request.</summary>
    public static bool IsConnectionFailure(Exception e) =>
        e is HttpRequestException or SocketException or IOException or TimeoutException
        || (e.InnerException is { } inner && IsConnectionFailure(inner));

    private static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;

    public void Dispose()
    {
        Client.Dispose();
        _configuration.Dispose();
    }
}
