using System.Text.Json.Nodes;
using Modulus.Tests.Sdk;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.RunImages;

/// <summary>
/// An ASP.NET Core minimal API, published framework-dependent for no runtime identifier (as a
/// team publishes for the .NET run image) from the SDK's own targeting packs. It answers with a
/// value of its appsettings.json, the runtime's version and its uid, and logs when it stops.
/// </summary>
internal static class WebApp
{
    public const string Name = "web";
    public const string Greeting = "hello from appsettings.json";

    private const string Project = """
        <Project Sdk="Microsoft.NET.Sdk.Web">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <ImplicitUsings>enable</ImplicitUsings>
            <Nullable>enable</Nullable>
          </PropertyGroup>
        </Project>
        """;

    /// <summary>Program.cs: also the in-app form's program, so both forms of the app answer alike.</summary>
    public const string Program = """
        var app = WebApplication.CreateBuilder(args).Build();
        var uid = File.ReadLines("/proc/self/status").First(l => l.StartsWith("Uid:")).Split('\t')[1];
        app.MapGet("/", (IConfiguration configuration) => $"{configuration["Greeting"]} on .NET {Environment.Version} as uid {uid}");
        app.Lifetime.ApplicationStopping.Register(() => Console.WriteLine("web: stopping gracefully"));
        app.Run();
        Console.WriteLine("web: stopped");

        """;

    /// <summary>Publishes the app into <paramref name="output"/> with the workspace's SDK and package cache.</summary>
    public static void Publish(SdkWorkspace workspace, string output)
    {
        var project = workspace.NewProject(Project, Name);
        project.WriteFile("Program.cs", Program);
        project.WriteFile("appsettings.json", $$"""{ "Greeting": "{{Greeting}}" }""");
        Tools.RunChecked("dotnet", ["publish", project.ProjectPath, "-c", "Release", "-o", output, "-nologo", "-nodeReuse:false"],
            TimeSpan.FromMinutes(5), environment: workspace.Environment());
    }

    /// <summary>The app's runtimeconfig.json with every reference to <paramref name="framework"/> asking for <paramref name="version"/>.</summary>
    public static string RuntimeConfigWanting(string folder, string framework, string version)
    {
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, Name + ".runtimeconfig.json")))!;
        var options = config["runtimeOptions"]!;
        var references = options["frameworks"]?.AsArray().Select(n => n!) ?? [options["framework"]!];
        foreach (var reference in references.Where(r => (string?)r["name"] == framework)) reference["version"] = version;
        return config.ToJsonString();
    }
}
