using Docker.DotNet;
using Modulus.Daemon;
using Modulus.Tests.RunImages;
using Modulus.Tests.Sdk;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Templates;

/// <summary>
/// Modulus.Templates as a team uses it: a repository made from each template outside this tree,
/// its base pulled by registry reference from a real registry that CI pushed run-base to,
/// published with the SDK from the packed feed, and the image run in dockerd.
/// </summary>
[NonParallelizable]
public class TemplateTests
{
    private TempDirectory _feed = null!;
    private string _package = null!;
    private RegistryServer _registry = null!;

    [OneTimeSetUp]
    public void PackTemplatesAndStartRegistry()
    {
        _feed = new TempDirectory("templates-feed");
        var pack = Tools.Run("dotnet", ["pack", RepoPaths.Combine("templates", "Modulus.Templates"), "-c", "Release", "-o", _feed.Path, "-nologo", "-nodeReuse:false"],
            TimeSpan.FromMinutes(5));
        if (pack.ExitCode != 0) Assert.Fail($"dotnet pack of Modulus.Templates failed:\n{pack}");
        _package = Directory.GetFiles(_feed.Path, "Modulus.Templates.*.nupkg").Single();
        _registry = RegistryServer.Start();
    }

    [OneTimeTearDown]
    public void Remove()
    {
        _registry?.Dispose();
        _feed?.Dispose();
    }

    /// <summary>What CI does once: publish images/base and push it as modulus/run-base:latest.</summary>
    private void PushRunBase(SdkWorkspace workspace)
    {
        var runBase = PublishedBaseImage.Publish(workspace);
        var copy = Tools.Run(Tools.Require("skopeo"), ["copy", "--dest-tls-verify=false", $"oci:{runBase.Project.LayoutPath}:latest", $"docker://{_registry.Address}/{PublishedBaseImage.Reference}"],
            TimeSpan.FromMinutes(5));
        if (copy.ExitCode != 0) Assert.Fail($"pushing run-base failed:\n{copy}");
    }

    [Test]
    public async Task The_image_template_makes_a_repository_whose_publish_builds_on_run_base_from_the_registry_and_serves_in_dockerd()
    {
        MntFolder.RequireRoot();
        using var dockerd = await Dockerd.StartAsync();
        using var workspace = new SdkWorkspace();
        PushRunBase(workspace);
        using var repository = new TemplateRepository(_package, "modulus-image", "shop", ["--registry", _registry.Address]);
        File.ReadAllText(Path.Combine(repository.Folder, "global.json")).ShouldContain("\"Modulus.Sdk\": \"0.1.0-dev\"");

        var publish = repository.Publish("ModulusLoadIntoDaemon=true", "ModulusDockerHost=" + dockerd.Host);

        publish.ExitCode.ShouldBe(0, publish.ToString());
        File.Exists(Path.Combine(repository.PublishFolder, "sbom.spdx.json")).ShouldBeTrue(publish.ToString());
        File.ReadAllText(Path.Combine(repository.PublishFolder, "sbom.spdx.json")).ShouldContain("\"name\": \"supervisor\"", customMessage: "run-base's Debian packages are in the derived image's SBOM");
        using var client = dockerd.CreateClient();
        using var mnt = new MntFolder();
        mnt.WriteFile("supervisor.conf", """
            [program:app]
            command=start
            environment=PORT=8080
            stdout_logfile=/mnt/log/app.log
            redirect_stderr=true

            """);
        await using var container = await RunContainer.StartAsync(client, "team/shop:latest", mnt);
        var page = string.Empty;
        for (var attempt = 0; attempt < 40 && !page.Contains("Served from a Modulus run image", StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(500);
            page = (await container.ExecAsync(["python3", "-c", "import urllib.request;print(urllib.request.urlopen('http://127.0.0.1:8080/').read().decode())"])).StdOut;
        }
        page.ShouldContain("Served from a Modulus run image", customMessage: await container.DescribeAsync());
        (await container.ExecAsync(["id", "-u"])).StdOut.Trim().ShouldBe("441");
    }

    /// <summary>What CI does once: publish images/dotnet and push it as modulus/run-dotnet:latest.</summary>
    private void PushRunDotnet()
    {
        // The runtime packs come from NuGet, so this workspace lists the machine's sources.
        using var workspace = new SdkWorkspace(machineSources: true);
        var runDotnet = PublishedDotnetImage.Publish(workspace);
        var copy = Tools.Run(Tools.Require("skopeo"), ["copy", "--dest-tls-verify=false", $"oci:{runDotnet.Project.LayoutPath}:latest", $"docker://{_registry.Address}/{PublishedDotnetImage.Reference}"],
            TimeSpan.FromMinutes(5));
        if (copy.ExitCode != 0) Assert.Fail($"pushing run-dotnet failed:\n{copy}");
    }

    [Test]
    public async Task The_webapp_template_makes_a_repository_whose_publish_bakes_the_app_into_run_dotnet_and_answers_HTTP()
    {
        MntFolder.RequireRoot();
        using var dockerd = await Dockerd.StartAsync();
        PushRunDotnet();
        using var repository = new TemplateRepository(_package, "modulus-webapp", "api", ["--registry", _registry.Address]);

        var publish = repository.Publish("ModulusLoadIntoDaemon=true", "ModulusDockerHost=" + dockerd.Host);

        publish.ExitCode.ShouldBe(0, publish.ToString());
        using var client = dockerd.CreateClient();
        using var mnt = new MntFolder();
        mnt.WriteFile("supervisor.conf", """
            [program:app]
            command=start
            environment=PORT=8080
            stdout_logfile=/mnt/log/app.log
            redirect_stderr=true

            """);
        await using var container = await RunContainer.StartAsync(client, "team/api:latest", mnt);
        var answer = string.Empty;
        for (var attempt = 0; attempt < 60 && !answer.Contains("Hello from api", StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(500);
            answer = (await container.ExecAsync(["python3", "-c", "import urllib.request;print(urllib.request.urlopen('http://127.0.0.1:8080/').read().decode())"])).StdOut;
        }
        answer.ShouldContain("Hello from api", customMessage: await container.DescribeAsync());
        File.ReadAllText(Path.Combine(repository.InAppImageFolder, "sbom.spdx.json")).ShouldContain("pkg:nuget/", customMessage: "the app's deps.json names its runtime packs");
    }
}
