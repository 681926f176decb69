using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Sdk;

/// <summary>
/// Projects that use Modulus.Sdk as packed from this repository (<see cref="SdkFeed"/>), in temp
/// folders outside the repository: each with a global.json pinning the SDK, a nuget.config that
/// knows only that feed, and a package cache no other workspace shares, so nothing comes from the
/// network or from an older copy of the package.
/// </summary>
internal sealed class SdkWorkspace : IDisposable
{
    private readonly TempDirectory _root = new("sdk");
    private readonly bool _machineSources;

    /// <param name="machineSources">
    /// Also list the NuGet sources configured on this machine, for projects that need packages
    /// from NuGet (runtime packs): read from the machine's configuration, never written here.
    /// </param>
    public SdkWorkspace(bool machineSources = false)
    {
        Feed = SdkFeed.Folder;
        Packages = _root.Combine("packages");
        _machineSources = machineSources;
    }

    public string Feed { get; }

    public string Packages { get; }

    /// <summary>A new project folder holding <paramref name="projectXml"/> as sample.csproj.</summary>
    public SampleProject NewProject(string projectXml, string name = "sample")
    {
        var folder = _root.Combine("projects", Guid.NewGuid().ToString("N")[..8], name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "global.json"), $$"""
            {
              "sdk": { "version": "10.0.100", "rollForward": "latestFeature" },
              "msbuild-sdks": { "Modulus.Sdk": "0.1.0-dev" }
            }
            """);
        File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
            <configuration>
              <packageSources>
                <clear />
                <add key="modulus-test" value="{Feed}" />{MachineSources()}
              </packageSources>
            </configuration>
            """);
        var project = new SampleProject(this, folder, name);
        project.WriteProject(projectXml);
        return project;
    }

    /// <summary>The enabled sources of `dotnet nuget list source`, as nuget.config lines.</summary>
    private string MachineSources()
    {
        if (!_machineSources) return string.Empty;
        var listed = Tools.RunChecked("dotnet", ["nuget", "list", "source", "--format", "short"]).StdOut;
        var sources = listed.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith("E ", StringComparison.Ordinal))
            .Select((l, i) => $"\n    <add key=\"machine-{i}\" value=\"{System.Security.SecurityElement.Escape(l[2..].Trim())}\" />")
            .ToArray();
        if (sources.Length == 0) Assert.Fail($"this test needs a NuGet source, and `dotnet nuget list source` lists none enabled:\n{listed}");
        return string.Concat(sources);
    }

    /// <summary>
    /// The environment of every dotnet run: MSBuild variables the test host inherited would point
    /// the child at the wrong MSBuild; node reuse would keep the task assembly loaded and locked.
    /// </summary>
    public Dictionary<string, string?> Environment()
    {
        var environment = System.Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("DOTNET_HOST", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(k => k, _ => (string?)null);
        environment["NUGET_PACKAGES"] = Packages;
        environment["MSBUILDDISABLENODEREUSE"] = "1";
        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        environment["DOTNET_NOLOGO"] = "1";
        environment["SOURCE_DATE_EPOCH"] = null;
        environment["XDG_CACHE_HOME"] = _root.Combine("cache");
        return environment;
    }

    public void Dispose() => _root.Dispose();
}
