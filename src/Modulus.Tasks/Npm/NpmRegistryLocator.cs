using System.Diagnostics;
using Modulus.Diagnostics;

namespace Modulus.Npm;

/// <summary>Where a registry URL came from, for messages ("the ModulusNpmRegistry property", "/root/.npmrc").</summary>
public sealed record NpmRegistry(Uri Url, string Source)
{
    /// <summary>The URL of a package's metadata: scoped names keep their '@' and encode the '/'.</summary>
    public Uri PackumentUrl(string packageName) => new(Url, packageName.Replace("/", "%2f", StringComparison.Ordinal));
}

/// <summary>
/// Finds the npm registry the way the user's own npm would, so a project never names one: an
/// explicit value, then MODULUS_NPM_REGISTRY, npm_config_registry, the user's ~/.npmrc, the
/// global npmrc files, and last `npm config get registry` when npm is installed.
/// </summary>
public static class NpmRegistryLocator
{
    /// <summary>What the locator reads; tests replace the environment and the file locations.</summary>
    public sealed record Sources(
        Func<string, string?> Environment,
        IReadOnlyList<string> NpmrcFiles,
        Func<string?> AskNpm)
    {
        public static Sources Machine()
        {
            var home = System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile);
            var files = new List<string>();
            if (System.Environment.GetEnvironmentVariable("NPM_CONFIG_USERCONFIG") is { Length: > 0 } user) files.Add(user);
            else files.Add(Path.Combine(home, ".npmrc"));
            if (System.Environment.GetEnvironmentVariable("PREFIX") is { Length: > 0 } prefix) files.Add(Path.Combine(prefix, "etc", "npmrc"));
            files.Add("/usr/etc/npmrc");
            files.Add("/usr/local/etc/npmrc");
            files.Add("/etc/npmrc");
            return new Sources(System.Environment.GetEnvironmentVariable, files, AskInstalledNpm);
        }
    }

    public static NpmRegistry Locate(string? explicitValue, Sources? sources = null)
    {
        sources ??= Sources.Machine();
        if (!string.IsNullOrWhiteSpace(explicitValue)) return Parse(explicitValue, "the ModulusNpmRegistry property");
        foreach (var name in new[] { "MODULUS_NPM_REGISTRY", "npm_config_registry", "NPM_CONFIG_REGISTRY" })
        {
            if (sources.Environment(name) is { Length: > 0 } value) return Parse(value, $"the environment variable {name}");
        }
        foreach (var file in sources.NpmrcFiles)
        {
            if (RegistryLine(file) is { } value) return Parse(value, file);
        }
        if (sources.AskNpm() is { Length: > 0 } answer) return Parse(answer, "'npm config get registry'");
        var looked = string.Join(", ", sources.NpmrcFiles);
        throw new ModulusException(Errors.NpmRegistryNotConfigured, $"none of the variables, no 'registry=' in {looked}, and no npm on PATH");
    }

    private static NpmRegistry Parse(string value, string source)
    {
        var text = value.Trim().Trim('"', '\'');
        if (!text.EndsWith('/')) text += "/"; // Relative package URLs resolve under the registry's path.
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            throw new ModulusException(Errors.NpmRegistryInvalid, value, source);
        return new NpmRegistry(url, source);
    }

    /// <summary>The value of a top-level 'registry=' line (scoped '@x:registry' lines do not count).</summary>
    private static string? RegistryLine(string file)
    {
        if (!File.Exists(file)) return null;
        string? found = null;
        foreach (var raw in File.ReadLines(file))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || line.StartsWith(';')) continue;
            var equals = line.IndexOf('=');
            if (equals < 0 || line[..equals].Trim() != "registry") continue;
            found = line[(equals + 1)..].Trim();
        }
        return string.IsNullOrEmpty(found) ? null : found;
    }

    private static string? AskInstalledNpm()
    {
        try
        {
            var info = new ProcessStartInfo("npm", ["config", "get", "registry"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(info);
            if (process is null) return null;
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(30_000))
            {
                process.Kill(entireProcessTree: true);
                return null;
            }
            return process.ExitCode == 0 ? output.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // npm is not installed.
        }
    }
}
