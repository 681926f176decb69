using System.Diagnostics;
using Docker.DotNet;
using Docker.DotNet.Models;
using Modulus.Contract;
using Modulus.Daemon;
using Modulus.Diagnostics;

namespace Modulus.Verify;

/// <summary>
/// Proves the run-image standard in a running container: the published image is loaded into a
/// Docker daemon and run on a temporary /mnt volume laid out as the platform lays it out, with a
/// probe as the app, and each of <see cref="RuntimeChecks.All"/> is checked from outside, through
/// the daemon. The container and the volume are removed whatever happens.
/// </summary>
public static class ImageVerifier
{
    /// <param name="archivePath">The published docker-loadable tar.</param>
    /// <param name="imageId">The image's config digest: the id the daemon gives it.</param>
    /// <param name="standard">The standard's values the image was built with.</param>
    /// <param name="dockerHost">The daemon; null means DOCKER_HOST, else the default socket.</param>
    /// <param name="log">Progress lines.</param>
    /// <param name="cancellationToken">Stops the checks; the container and volume are removed all the same.</param>
    public static async Task<IReadOnlyList<RuntimeCheckResult>> VerifyAsync(string archivePath, string imageId, RunImageStandard standard, string? dockerHost,
        IBuildLog log, CancellationToken cancellationToken)
    {
        using var connection = await DaemonConnection.OpenAsync(dockerHost, Errors.VerifyDaemonUnreachable, cancellationToken);
        var (host, client) = (connection.Host, connection.Client);
        log.Detail($"Loading {archivePath} into the Docker daemon at {host}");
        await DockerDaemon.LoadAsync(connection, archivePath, cancellationToken);

        var name = "modulus-verify-" + Guid.NewGuid().ToString("N")[..12];
        string? container = null;
        try
        {
            await Run(host, () => client.Volumes.CreateAsync(new VolumesCreateParameters { Name = name }, cancellationToken));
            await SetUpVolumeAsync(client, host, imageId, name, standard, cancellationToken);
            container = await Run(host, async () => (await client.Containers.CreateContainerAsync(new CreateContainerParameters
            {
                Image = imageId,
                Name = name,
                HostConfig = new HostConfig { NetworkMode = "none", Binds = [$"{name}:{standard.Volume}"] },
            }, cancellationToken)).ID);
            await Run(host, () => client.Containers.StartContainerAsync(container, new ContainerStartParameters(), cancellationToken));
            log.Detail($"Running the image as container {name} on a temporary {standard.Volume}");
            var clock = Stopwatch.StartNew();
            var results = await new RunningChecks(client, container, standard, cancellationToken).RunAsync();
            log.Detail($"Ran the {results.Count} run-time checks in {clock.Elapsed.TotalSeconds:0.0} s");
            return results;
        }
        finally
        {
            await RemoveAsync(client, container, name, log);
        }
    }

    /// <summary>A container of the image, as root, lays the empty volume out (so the host needs no root, and a remote daemon works too).</summary>
    private static async Task SetUpVolumeAsync(DockerClient client, string host, string imageId, string volume, RunImageStandard standard, CancellationToken cancellationToken)
    {
        var id = await Run(host, async () => (await client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = imageId,
            User = "0",
            Entrypoint = ["/bin/sh", "-c"],
            Cmd = [VerifyProbe.Setup(standard)],
            HostConfig = new HostConfig { NetworkMode = "none", Binds = [$"{volume}:{standard.Volume}"] },
        }, cancellationToken)).ID);
        try
        {
            await Run(host, () => client.Containers.StartContainerAsync(id, new ContainerStartParameters(), cancellationToken));
            var waited = await Run(host, () => client.Containers.WaitContainerAsync(id, cancellationToken));
            if (waited.StatusCode != 0)
            {
                using var logs = await client.Containers.GetContainerLogsAsync(id, tty: false, new ContainerLogsParameters { ShowStdout = true, ShowStderr = true }, cancellationToken);
                var (stdout, stderr) = await logs.ReadOutputToEndAsync(cancellationToken);
                throw new ModulusException(Errors.VerifySetupFailed, $"laying out {standard.Volume} with /bin/sh as root exited {waited.StatusCode}: {(stdout + stderr).Trim()}", host);
            }
        }
        finally
        {
            await client.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true }, CancellationToken.None);
        }
    }

    private static async Task RemoveAsync(DockerClient client, string? container, string volume, IBuildLog log)
    {
        try
        {
            if (container is not null) await client.Containers.RemoveContainerAsync(container, new ContainerRemoveParameters { Force = true }, CancellationToken.None);
        }
        catch (DockerContainerNotFoundException)
        {
            // Gone already.
        }
        catch (Exception e) when (e is DockerApiException or HttpRequestException or IOException)
        {
            log.Detail($"The container {volume} could not be removed: {e.Message}");
        }
        try
        {
            await client.Volumes.RemoveAsync(volume, force: true, CancellationToken.None);
        }
        catch (Exception e) when (e is DockerApiException or HttpRequestException or IOException)
        {
            log.Detail($"The volume {volume} could not be removed: {e.Message}");
        }
    }

    private static async Task<T> Run<T>(string host, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (DockerApiException e)
        {
            throw new ModulusException(Errors.VerifySetupFailed, e, $"{(int)e.StatusCode} {e.ResponseBody.Trim()}", host);
        }
    }

    private static Task Run(string host, Func<Task> call) => Run(host, async () => { await call(); return true; });
}
