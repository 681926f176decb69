using Docker.DotNet;
using Docker.DotNet.Models;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.RunImages;

/// <summary>What one command run in a container said.</summary>
internal sealed record ExecResult(long ExitCode, string StdOut, string StdErr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{StdOut}\n--- stderr ---\n{StdErr}";
}

/// <summary>
/// A container of a run image with no network and <see cref="MntFolder"/> bind-mounted at /mnt,
/// as the platform runs one. Disposing removes it, running or not.
/// </summary>
internal sealed class RunContainer : IAsyncDisposable
{
    private static readonly TimeSpan ExecTimeout = TimeSpan.FromSeconds(60);
    private readonly DockerClient _client;

    private RunContainer(DockerClient client, string id, MntFolder mnt)
    {
        _client = client;
        Id = id;
        Mnt = mnt;
    }

    public string Id { get; }

    public MntFolder Mnt { get; }

    /// <param name="memoryBytes">
    /// The container's memory limit (docker run -m), with swap limited to the same (--memory-swap)
    /// so that nothing is swapped out: an app that grows past it is killed by the kernel. 0: none.
    /// </param>
    /// <param name="network">
    /// The container's network: none, as the platform runs an app; host for a build image's
    /// container that must reach a registry the test serves on the host's loopback.
    /// </param>
    /// <param name="command">The container's Cmd, when not the image's.</param>
    public static async Task<RunContainer> StartAsync(DockerClient client, string image, MntFolder mnt, long memoryBytes = 0,
        string network = "none", IList<string>? command = null)
    {
        var created = await client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = image,
            Name = "run-" + Guid.NewGuid().ToString("N")[..10],
            Cmd = command,
            HostConfig = new HostConfig
            {
                NetworkMode = network,
                Binds = [$"{mnt.Path}:/mnt"],
                Memory = memoryBytes,
                MemorySwap = memoryBytes,
            },
        });
        var container = new RunContainer(client, created.ID, mnt);
        try
        {
            await client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
        }
        catch
        {
            await container.DisposeAsync();
            throw;
        }
        return container;
    }

    /// <summary>Runs <paramref name="command"/> as the image's user (mop) unless <paramref name="user"/> says otherwise.</summary>
    public async Task<ExecResult> ExecAsync(string[] command, string? user = null, TimeSpan? limit = null)
    {
        using var timeout = new CancellationTokenSource(limit ?? ExecTimeout);
        var exec = await _client.Exec.ExecCreateContainerAsync(Id, new ContainerExecCreateParameters
        {
            Cmd = command,
            User = user,
            AttachStdout = true,
            AttachStderr = true,
        }, timeout.Token);
        using var stream = await _client.Exec.StartAndAttachContainerExecAsync(exec.ID, tty: false, timeout.Token);
        var (stdout, stderr) = await stream.ReadOutputToEndAsync(timeout.Token);
        var inspected = await _client.Exec.InspectContainerExecAsync(exec.ID, timeout.Token);
        return new ExecResult(inspected.ExitCode, stdout, stderr);
    }

    /// <summary>
    /// Runs the image's own start on another app folder: a copy of it, read from the container,
    /// whose APP_ROOT is <paramref name="appFolder"/>, written into the volume. The image reads no
    /// switch that moves the folder; copies are how one container serves many app cases.
    /// </summary>
    public async Task<ExecResult> StartOnAsync(string appFolder, params string[] environment)
    {
        var shipped = await ExecAsync(["sh", "-c", "cat \"$(command -v start)\""]);
        shipped.ExitCode.ShouldBe(0, shipped.ToString());
        var copy = "starts/" + appFolder.Trim('/').Replace('/', '-');
        Mnt.WriteFile(copy, ScriptCopy.WithConstants(shipped.StdOut, ("APP_ROOT", appFolder)), executable: true);
        return await ExecAsync(["env", .. environment, "/mnt/" + copy]);
    }

    /// <summary>Runs a line of sh as mop.</summary>
    public Task<ExecResult> ShellAsync(string script) => ExecAsync(["sh", "-c", script]);

    /// <summary>Everything PID 1 and its children wrote to the container's stdout and stderr.</summary>
    public async Task<string> LogsAsync()
    {
        using var stream = await _client.Containers.GetContainerLogsAsync(Id, tty: false,
            new ContainerLogsParameters { ShowStdout = true, ShowStderr = true }, CancellationToken.None);
        var (stdout, stderr) = await stream.ReadOutputToEndAsync(CancellationToken.None);
        return stdout + stderr;
    }

    public Task<ContainerInspectResponse> InspectAsync() => _client.Containers.InspectContainerAsync(Id);

    /// <summary>`docker stop` with its default grace period: SIGTERM, then SIGKILL after 10 seconds.</summary>
    public Task StopAsync() =>
        _client.Containers.StopContainerAsync(Id, new ContainerStopParameters { WaitBeforeKillSeconds = 10 });

    /// <summary>A readable account of the container for a failed assertion: its output and the /mnt logs.</summary>
    public async Task<string> DescribeAsync() => $"--- container output ---\n{await LogsAsync()}\n{Mnt.DescribeLogs()}";

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _client.Containers.RemoveContainerAsync(Id, new ContainerRemoveParameters { Force = true });
        }
        catch (DockerContainerNotFoundException)
        {
            // Already gone: nothing to clean up.
        }
    }
}
