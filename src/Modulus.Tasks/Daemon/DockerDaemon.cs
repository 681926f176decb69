namespace Modulus.Daemon;

/// <summary>Loads docker-archive tars into a Docker daemon.</summary>
public static class DockerDaemon
{
    /// <summary>
    /// Loads <paramref name="tarPath"/> into the daemon at <paramref name="dockerHost"/> (a
    /// unix:// or tcp:// URI); null means DOCKER_HOST, else the default socket.
    /// </summary>
    public static Task LoadAsync(string tarPath, string? dockerHost, CancellationToken cancellationToken) =>
        throw new NotImplementedException();
}
