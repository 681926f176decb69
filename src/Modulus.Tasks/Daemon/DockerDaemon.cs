using Docker.DotNet;
using Docker.DotNet.Models;
using Modulus.Diagnostics;

namespace Modulus.Daemon;

/// <summary>Loads docker-archive tars into a Docker daemon.</summary>
public static class DockerDaemon
{
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
        using var connection = await DaemonConnection.OpenAsync(dockerHost, Errors.DaemonUnreachable, cancellationToken).ConfigureAwait(false);
        await LoadAsync(connection, tarPath, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Loads <paramref name="tarPath"/> through a daemon connection already open.</summary>
    public static async Task LoadAsync(DaemonConnection connection, string tarPath, CancellationToken cancellationToken)
    {
        var progress = new ErrorCollector();
        try
        {
            await using var tar = new FileStream(tarPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            await connection.Client.Images.LoadImageAsync(new ImageLoadParameters { Quiet = false }, tar, progress, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerApiException e)
        {
            throw new ModulusException(Errors.DaemonLoadFailed, e, connection.Host, tarPath, $"{(int)e.StatusCode} {e.ResponseBody.Trim()}");
        }
        catch (Exception e) when (DaemonConnection.IsConnectionFailure(e) && !cancellationToken.IsCancellationRequested)
        {
            throw new ModulusException(Errors.DaemonUnreachable, e, connection.Host, e.Message);
        }
        if (progress.Error is { } error) throw new ModulusException(Errors.DaemonLoadFailed, connection.Host, tarPath, error);
    }

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
