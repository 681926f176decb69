using Docker.DotNet.Models;
using Modulus.Daemon;
using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Layers;
using Platform = Modulus.Oci.Platform;
using Modulus.Sinks;
using Modulus.Storage;
using Modulus.Tests.Sources;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Integration;

/// <summary>docker load of our tar into a real dockerd, and a container that runs from it.</summary>
[NonParallelizable]
public class DockerDaemonTests : StoreTest
{
    private Dockerd _dockerd = null!;

    [OneTimeSetUp]
    public async Task StartDaemon() => _dockerd = await Dockerd.StartAsync();

    [OneTimeTearDown]
    public void StopDaemon() => _dockerd?.Dispose();

    protected override string FolderPrefix => "daemon";

    [Test]
    public async Task A_loaded_image_runs_and_its_file_is_there()
    {
        var baseImage = ImageBuilder.Build(Image.Scratch(Platform.LinuxAmd64), [new AppendedLayer(BusyboxLayer(), "test: busybox")], new ConfigChanges(), TestImages.Created);
        var image = ImageBuilder.Build(baseImage, [new AppendedLayer(TestImages.FileLayer(Store, "hello.txt", "hello from modulus\n"), "test: hello.txt")],
            new ConfigChanges { Cmd = ["cat", "/hello.txt"] }, TestImages.Created);
        var name = $"modulus-test/hello:{Guid.NewGuid():N}";
        var tar = Temp.Combine("image.tar");
        DockerArchiveWriter.Write(image, tar, [name]);

        var stdout = await LoadAndRunAsync(tar, name);

        stdout.ShouldBe("hello from modulus\n");
    }

    [Test]
    public async Task A_layer_deflated_in_many_blocks_on_several_threads_loads_whole()
    {
        var content = Modulus.Tests.Layers.GzipTestData.Mixed(9 * Modulus.Layers.Gzip.ParallelGzipStream.DefaultBlockSize + 4321, seed: 9);
        var data = Store.WriteLayer([new FileEntry(UnixPath.Parse("/data.bin"), FileContent.FromBytes(content))],
            LayerWriterOptions.Default with { CompressionThreads = 4 });
        var baseImage = ImageBuilder.Build(Image.Scratch(Platform.LinuxAmd64), [new AppendedLayer(BusyboxLayer(), "test: busybox")], new ConfigChanges(), TestImages.Created);
        var image = ImageBuilder.Build(baseImage, [new AppendedLayer(data, "test: data.bin")],
            new ConfigChanges { Cmd = ["sha256sum", "/data.bin"] }, TestImages.Created);
        var name = $"modulus-test/blocks:{Guid.NewGuid():N}";
        var tar = Temp.Combine("image.tar");
        DockerArchiveWriter.Write(image, tar, [name]);

        var stdout = await LoadAndRunAsync(tar, name);

        stdout.Split(' ')[0].ShouldBe(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content)));
    }

    /// <summary>Loads the archive, runs <paramref name="name"/> with no network to its end and returns what it printed (a non-zero exit fails the test); removes the container and the image.</summary>
    private async Task<string> LoadAndRunAsync(string tar, string name)
    {
        await DockerDaemon.LoadAsync(tar, _dockerd.Host, CancellationToken.None);

        using var client = _dockerd.CreateClient();
        var created = await client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = name,
            HostConfig = new HostConfig { NetworkMode = "none" },
        });
        try
        {
            await client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
            var exit = await client.Containers.WaitContainerAsync(created.ID);
            using var logs = await client.Containers.GetContainerLogsAsync(created.ID, false,
                new ContainerLogsParameters { ShowStdout = true, ShowStderr = true });
            var (stdout, stderr) = await logs.ReadOutputToEndAsync(CancellationToken.None);
            exit.StatusCode.ShouldBe(0, stderr);
            return stdout;
        }
        finally
        {
            await client.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true });
            await client.Images.DeleteImageAsync(name, new ImageDeleteParameters { Force = true });
        }
    }

    [Test]
    public async Task What_docker_save_writes_reads_back_with_the_same_layers()
    {
        var image = TestImages.Hello(Store, "saved by docker\n");
        var name = $"modulus-test/saved:{Guid.NewGuid():N}";
        var tar = Temp.Combine("image.tar");
        DockerArchiveWriter.Write(image, tar, [name]);
        await DockerDaemon.LoadAsync(tar, _dockerd.Host, CancellationToken.None);

        using var client = _dockerd.CreateClient();
        var saved = Temp.Combine("saved.tar");
        await using (var stream = await client.Images.SaveImageAsync(name, CancellationToken.None))
        await using (var file = File.Create(saved))
            await stream.CopyToAsync(file);
        await client.Images.DeleteImageAsync(name, new ImageDeleteParameters { Force = true });

        var loaded = Modulus.Sources.BaseImageLoader.Load($"docker-archive:{saved}:{name}", Temp.Path, Platform.LinuxAmd64, new BlobStore(Temp.Combine("store2")));
        loaded.Layers.Select(l => l.DiffId).ShouldBe(image.Layers.Select(l => l.DiffId));
        loaded.Config.Cmd.ShouldBe(["cat", "/hello.txt"]);
        TestImages.ReadText(loaded.Layers[0], "hello.txt").ShouldBe("saved by docker\n");
    }

    [Test]
    public async Task A_tar_the_daemon_refuses_is_MOD1502()
    {
        var tar = Temp.WriteFile("junk.tar", new string('x', 4096));
        var error = await Should.ThrowAsync<ModulusException>(() => DockerDaemon.LoadAsync(tar, _dockerd.Host, CancellationToken.None));
        error.Code.ShouldBe("MOD1502");
        error.Message.ShouldContain(_dockerd.Host);
    }

    /// <summary>
    /// A base layer from the busybox-static package's /bin/busybox, with /bin/sh and /bin/cat
    /// linked to it: enough userland to run cat without any registry.
    /// </summary>
    private BlobLayer BusyboxLayer()
    {
        var listing = Tools.RunChecked(Tools.Require("dpkg"), ["-L", "busybox-static"]).StdOut;
        var busybox = listing.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.EndsWith("/bin/busybox", StringComparison.Ordinal) && File.Exists(l));
        if (busybox is null)
        {
            const string Missing = "busybox-static is not installed; .ci/run installs it.";
            if (Tools.InCi) Assert.Fail(Missing);
            Assert.Ignore(Missing);
        }
        return Store.WriteLayer(
        [
            new DirectoryEntry(UnixPath.Parse("/bin")),
            new FileEntry(UnixPath.Parse("/bin/busybox"), FileContent.FromFile(busybox!), Mode: 0b111_101_101),
            new SymlinkEntry(UnixPath.Parse("/bin/cat"), "busybox"),
            new SymlinkEntry(UnixPath.Parse("/bin/sh"), "busybox"),
            new SymlinkEntry(UnixPath.Parse("/bin/sha256sum"), "busybox"),
        ], LayerWriterOptions.Default);
    }
}

/// <summary>Failures that need no daemon at all.</summary>
public class DockerDaemonUnreachableTests
{
    [Test]
    public async Task No_daemon_at_the_socket_is_MOD1501_naming_the_host()
    {
        using var temp = new TempDirectory("nodaemon");
        var tar = temp.WriteFile("image.tar", "");
        var host = $"unix://{temp.Combine("missing.sock")}";

        var error = await Should.ThrowAsync<ModulusException>(() => DockerDaemon.LoadAsync(tar, host, CancellationToken.None));
        error.Code.ShouldBe("MOD1501");
        error.Message.ShouldContain(host);
    }
}
