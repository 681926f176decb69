using System.Diagnostics;
using Docker.DotNet;
using Modulus.Daemon;
using Modulus.Tests.Sdk;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.RunImages;

/// <summary>
/// The in-app form on images/base, which holds no .NET: the base comes in as a ProjectReference
/// to the images/base project; a framework-dependent app is refused at build time (MOD5045); a
/// self-contained ASP.NET Core app is baked in at /app and run by dockerd the way the platform
/// runs it, as mop under supervisord, on PORT, from its own folder.
/// </summary>
[NonParallelizable]
public class InAppImageTests
{
    private const string Greeting = "hello from appsettings.json";

    private Dockerd _dockerd = null!;
    private SdkWorkspace _workspace = null!;
    private PublishedBaseImage _base = null!;
    private DockerClient _client = null!;

    [OneTimeSetUp]
    public async Task PublishTheBase()
    {
        MntFolder.RequireRoot();
        _dockerd = await Dockerd.StartAsync();
        _workspace = new SdkWorkspace(machineSources: true);
        _base = PublishedBaseImage.Publish(_workspace);
        _client = _dockerd.CreateClient();
    }

    [OneTimeTearDown]
    public void RemoveEverything()
    {
        _client?.Dispose();
        _workspace?.Dispose();
        _dockerd?.Dispose();
    }

    /// <summary>An app project with the in-app form on images/base; its image goes to bin/Release/net10.0/[RID/]image.</summary>
    private SampleProject NewApp(string name, string sdk, string properties, string program, string? runtimeIdentifier = null)
    {
        var app = _workspace.NewProject($"""
            <Project Sdk="{sdk}">
              <Sdk Name="Modulus.Sdk" />
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <ContainerRepository>tests/{name}</ContainerRepository>
                {properties}
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{_base.Project.ProjectPath}" />
              </ItemGroup>
            </Project>
            """, name);
        app.WriteFile("Program.cs", program);
        app.ImageFolder = runtimeIdentifier is null
            ? Path.Combine(app.Folder, "bin", "Release", "net10.0", "image")
            : Path.Combine(app.Folder, "bin", "Release", "net10.0", runtimeIdentifier, "image");
        return app;
    }

    /// <summary>Published with the base's blob cache, so that the referenced base is up to date rather than rebuilt.</summary>
    private static BuildResult Publish(SampleProject app) => app.Publish("ModulusBlobCache=" + PublishedBaseImage.BlobCache);

    [Test]
    public void A_framework_dependent_app_on_a_base_without_dotnet_fails_with_MOD5045_naming_the_framework_and_the_fixes()
    {
        var app = NewApp("fd-console", "Microsoft.NET.Sdk", string.Empty, "System.Console.WriteLine(\"hello\");\n");

        var result = Publish(app);

        result.ExitCode.ShouldNotBe(0, result.ToString());
        result.Output.ShouldContain($"{app.ProjectPath} : error MOD5045: The app 'fd-console' is framework-dependent: it needs the .NET framework Microsoft.NETCore.App 10.0.0 (rollForward Minor), and the image has no .NET at /usr/share/dotnet (DOTNET_ROOT).",
            Case.Sensitive, result.ToString());
        result.Output.ShouldContain("images/dotnet", Case.Sensitive, result.ToString());
        result.Output.ShouldContain("self-contained", Case.Sensitive, result.ToString());
        File.Exists(app.ArchivePath).ShouldBeFalse("no image is written");
    }

    [Test]
    public async Task A_self_contained_web_app_runs_as_mop_on_PORT_from_its_folder_logs_to_app_log_and_stops_gracefully()
    {
        var app = NewApp("web", "Microsoft.NET.Sdk.Web",
            "<RuntimeIdentifier>linux-x64</RuntimeIdentifier><SelfContained>true</SelfContained><InvariantGlobalization>true</InvariantGlobalization>",
            """
            var app = WebApplication.CreateBuilder(args).Build();
            app.MapGet("/", (IConfiguration config) => $"{config["Greeting"]} in {Environment.CurrentDirectory}");
            app.Run();

            """, "linux-x64");
        app.WriteFile("appsettings.json", $$"""{ "Greeting": "{{Greeting}}" }""");

        var published = Publish(app);

        published.ExitCode.ShouldBe(0, published.ToString());
        var top = app.ReadTopLayer().ToDictionary(e => e.Name, e => e.Mode);
        top.ShouldContainKeyAndValue("app/web", 0b111_101_101, published.ToString());
        top.ShouldContainKey("app/appsettings.json");
        top.ShouldContainKey("app/libcoreclr.so");
        var again = Publish(app);
        again.Log.ShouldContain("is up to date", Case.Sensitive, again.ToString());
        again.PropertyValue.ShouldBe(published.PropertyValue);
        var container = app.PublishContainer();
        container.ExitCode.ShouldBe(0, container.ToString());
        app.ReportedDigest().ShouldBe(published.PropertyValue, "-t:PublishContainer gives the image dotnet publish gives");

        await DockerDaemon.LoadAsync(app.ArchivePath, _dockerd.Host, CancellationToken.None);
        var mnt = new MntFolder();
        mnt.WriteFile("supervisor.conf", """
            [program:app]
            command=start
            environment=PORT=8123
            stdout_logfile=/mnt/log/app.log
            redirect_stderr=true

            """);
        var run = await RunContainer.StartAsync(_client, "tests/web:latest", mnt);
        try
        {
            await WaitForAsync(run, () => mnt.Read("log/app.log").Contains("Now listening on: http://[::]:8123"), "Kestrel listening on PORT in app.log");

            var answer = await run.ShellAsync("python3 -c \"import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:8123/').read().decode())\"");
            answer.StdOut.Trim().ShouldBe($"{Greeting} in /app", answer + await run.DescribeAsync());
            var processes = await ProcessTable.ReadAsync(run);
            processes.ShouldContain(p => p.Command == "web" && p.Uids == "441 441 441 441", string.Join('\n', processes));
            mnt.Read("log/app.log").ShouldContain("Content root path: /app");

            var clock = Stopwatch.StartNew();
            await run.StopAsync();
            clock.Stop();
            var state = (await run.InspectAsync()).State;
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10), await run.DescribeAsync());
            state.ExitCode.ShouldBe(0, await run.DescribeAsync());
            mnt.Read("log/app.log").ShouldContain("Application is shutting down...", Case.Sensitive, await run.DescribeAsync());
        }
        finally
        {
            await run.DisposeAsync();
            mnt.Dispose();
        }
    }

    [Test]
    public void With_one_app_referenced_with_a_Destination_the_generated_start_runs_in_its_folder()
    {
        var image = _workspace.NewProject($"""
            <Project Sdk="Modulus.Sdk">
              <PropertyGroup>
                <ContainerRepository>tests/one-app</ContainerRepository>
                <ModulusStartCommand>./tool</ModulusStartCommand>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{_base.Project.ProjectPath}" />
                <ProjectReference Include="../tool/tool.csproj" Destination="/srv/tool/" AdditionalProperties="RuntimeIdentifier=linux-x64;SelfContained=true" />
              </ItemGroup>
            </Project>
            """, "image");
        var tool = Path.Combine(Path.GetDirectoryName(image.Folder)!, "tool");
        Directory.CreateDirectory(tool);
        File.WriteAllText(Path.Combine(tool, "tool.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <RuntimeIdentifiers>linux-x64</RuntimeIdentifiers>
                <InvariantGlobalization>true</InvariantGlobalization>
              </PropertyGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(tool, "Program.cs"), "System.Console.WriteLine(\"tool\");\n");
        File.Copy(Path.Combine(image.Folder, "nuget.config"), Path.Combine(tool, "nuget.config"));

        var result = Publish(image);

        result.ExitCode.ShouldBe(0, result.ToString());
        var start = ReadFromAnyLayer(image, "opt/modulus/bin/start");
        start.ShouldContain("cd '/srv/tool' ", Case.Sensitive, start);
        start.ShouldContain("exec ./tool $EXEC_ARGS", Case.Sensitive, start);
    }

    /// <summary>The text of a file of the image, from the highest layer that has it.</summary>
    private static string ReadFromAnyLayer(SampleProject project, string name)
    {
        foreach (var layer in project.LayerDigests().Reverse())
        {
            using var gzip = new System.IO.Compression.GZipStream(File.OpenRead(Path.Combine(project.LayoutPath, "blobs", "sha256", layer)), System.IO.Compression.CompressionMode.Decompress);
            using var tar = new System.Formats.Tar.TarReader(gzip);
            while (tar.GetNextEntry() is { } entry)
            {
                if (entry.Name != name || entry.DataStream is null) continue;
                using var reader = new StreamReader(entry.DataStream);
                return reader.ReadToEnd();
            }
        }
        throw new FileNotFoundException($"{name} is in no layer", name);
    }

    private static async Task WaitForAsync(RunContainer container, Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"no {what} within 30 s\n{await container.DescribeAsync()}");
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }
}
