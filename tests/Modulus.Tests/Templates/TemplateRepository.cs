using Modulus.Tests.Sdk;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Templates;

/// <summary>
/// A repository made from a Modulus.Templates template outside this tree, as a team makes one:
/// the template package packed from templates/, installed with `dotnet new install` into a
/// template cache of its own (DOTNET_CLI_HOME), the SDK restored from the packed feed
/// (<see cref="SdkFeed"/>) into a package cache of its own.
/// </summary>
internal sealed class TemplateRepository : IDisposable
{
    private readonly TempDirectory _root = new("template");

    public TemplateRepository(string templatePackage, string shortName, string name, IEnumerable<string> parameters)
    {
        Folder = _root.Combine("repo", name);
        Run("dotnet", ["new", "install", templatePackage]);
        Run("dotnet", ["new", shortName, "-o", Folder, "-n", name, "--feed", SdkFeed.Folder, .. parameters]);
        ProjectPath = Path.Combine(Folder, name + ".csproj");
    }

    public string Folder { get; }

    public string ProjectPath { get; }

    public string PublishFolder => Path.Combine(Folder, "bin", "Release", "net10.0", "publish");

    /// <summary>Where the in-app form writes the image: beside the app's publish folder, not in it (ModulusImageOutputDirectory).</summary>
    public string InAppImageFolder => Path.Combine(Folder, "bin", "Release", "net10.0", "image");

    /// <summary>An isolated CLI home, template cache, NuGet cache and blob cache; MSBuild variables the test host inherited removed.</summary>
    public Dictionary<string, string?> Environment()
    {
        var environment = System.Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("DOTNET_HOST", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(k => k, _ => (string?)null);
        environment["DOTNET_CLI_HOME"] = _root.Combine("cli-home");
        environment["NUGET_PACKAGES"] = _root.Combine("packages");
        environment["XDG_CACHE_HOME"] = _root.Combine("cache");
        environment["MSBUILDDISABLENODEREUSE"] = "1";
        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        environment["DOTNET_NOLOGO"] = "1";
        environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        return environment;
    }

    public Tools.Result Publish(params string[] properties) =>
        Tools.Run("dotnet", ["publish", ProjectPath, "-nodeReuse:false", "-nologo", .. properties.Select(p => "-p:" + p)],
            TimeSpan.FromMinutes(8), Folder, Environment());

    private void Run(string program, string[] arguments)
    {
        var result = Tools.Run(program, arguments, TimeSpan.FromMinutes(3), _root.Path, Environment());
        if (result.ExitCode != 0) Assert.Fail($"{program} {string.Join(' ', arguments)} failed:\n{result}");
    }

    public void Dispose() => _root.Dispose();
}
