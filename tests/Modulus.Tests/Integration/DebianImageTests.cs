using Docker.DotNet.Models;
using Modulus.Debian;
using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Plan;
using Modulus.Publishing;
using Modulus.Tests.TestSupport;
using Platform = Modulus.Oci.Platform;

namespace Modulus.Tests.Integration;

/// <summary>Images of Debian packages, published from scratch and run by a real dockerd with no network.</summary>
[NonParallelizable]
public class DebianImageTests
{
    private Dockerd _dockerd = null!;
    private TempDirectory _temp = null!;

    [OneTimeSetUp]
    public async Task StartDaemon()
    {
        DebianCache.RequireConfiguredMirror();
        _dockerd = await Dockerd.StartAsync();
    }

    [OneTimeTearDown]
    public void StopDaemon() => _dockerd?.Dispose();

    [SetUp]
    public void SetUp() => _temp = new TempDirectory("debian-image");

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public async Task Bash_runs_and_dpkg_lists_bash_and_coreutils_as_installed()
    {
        var name = await PublishAsync(["bash", "coreutils"]);

        var (exit, stdout, stderr) = await RunAsync(name, "bash", "-c", "echo ok; dpkg -l bash coreutils");

        exit.ShouldBe(0, stderr);
        stdout.ShouldStartWith("ok\n", Case.Sensitive, stdout);
        stdout.Split('\n').ShouldContain(l => l.StartsWith("ii  bash ", StringComparison.Ordinal), stdout);
        stdout.Split('\n').ShouldContain(l => l.StartsWith("ii  coreutils ", StringComparison.Ordinal), stdout);
    }

    [Test]
    public async Task Supervisor_runs_from_its_python_dependencies()
    {
        var name = await PublishAsync(["supervisor"]);

        var (exit, stdout, stderr) = await RunAsync(name, "supervisord", "--version");

        exit.ShouldBe(0, stdout + stderr);
        stdout.Trim().ShouldMatch(@"^\d+\.\d+(\.\d+)?$", stdout + stderr);
    }

    /// <summary>Publishes the packages on scratch (so with a minimal Debian system) and loads the image; returns its name.</summary>
    private async Task<string> PublishAsync(IReadOnlyList<string> packages)
    {
        var repository = "modulus-test/debian-" + Guid.NewGuid().ToString("N")[..8];
        var plan = new ImagePlan
        {
            BaseImage = Modulus.Sources.BaseImageSource.Scratch,
            ProjectDirectory = _temp.Path,
            Platform = Platform.LinuxAmd64,
            Config = new ConfigChanges { Environment = [KeyValuePair.Create("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")] },
            Repository = repository,
            Tags = ["latest"],
            OutputDirectory = _temp.Combine("publish"),
            IntermediateDirectory = _temp.Combine("obj"),
            BlobCacheDirectory = DebianCache.Folder,
            LoadIntoDaemon = true,
            DockerHost = _dockerd.Host,
            Debian = new PlannedDebian(new DebianRequest { Packages = [.. packages], LockFilePath = _temp.Combine("packages.lock.debian.json") },
                packages.Select(_ => SourceLocation.Unknown).ToArray()),
        };
        await ImagePublisher.PublishAsync(plan, RecordingLog.Clean(), CancellationToken.None);
        return repository + ":latest";
    }

    private async Task<(long Exit, string StdOut, string StdErr)> RunAsync(string image, params string[] command)
    {
        using var client = _dockerd.CreateClient();
        var created = await client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = image,
            Cmd = command,
            HostConfig = new HostConfig { NetworkMode = "none" },
        });
        try
        {
            await client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
            var exit = await client.Containers.WaitContainerAsync(created.ID);
            using var logs = await client.Containers.GetContainerLogsAsync(created.ID, false,
                new ContainerLogsParameters { ShowStdout = true, ShowStderr = true });
            var (stdout, stderr) = await logs.ReadOutputToEndAsync(CancellationToken.None);
            return (exit.StatusCode, stdout, stderr);
        }
        finally
        {
            await client.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true });
        }
    }
}
