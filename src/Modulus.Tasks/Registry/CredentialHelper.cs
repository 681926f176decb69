using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using Modulus.Diagnostics;

namespace Modulus.Registry;

/// <summary>
/// Runs <c>docker-credential-NAME get</c>: the server URL on stdin, JSON {Username, Secret} on
/// stdout. A user name of &lt;token&gt; marks the secret as an identity token.
/// </summary>
internal sealed class CredentialHelper(string name, string configPath, Func<string, string?> environment)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public RegistryCredential? Get(string serverUrl)
    {
        var program = "docker-credential-" + name;
        var path = (environment("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, program))
            .FirstOrDefault(File.Exists)
            ?? throw new ModulusException(Errors.CredentialHelperFailed, name, configPath, serverUrl, $"{program} is not on PATH");
        var info = new ProcessStartInfo(path, "get")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new Win32Exception("it did not start");
        }
        catch (Win32Exception e)
        {
            throw new ModulusException(Errors.CredentialHelperFailed, e, name, configPath, serverUrl, $"it could not be started ({e.Message})");
        }
        using (process)
        {
            try
            {
                process.StandardInput.Write(serverUrl);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The helper exited without reading its input; its exit code tells what happened.
            }
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new ModulusException(Errors.CredentialHelperFailed, name, configPath, serverUrl, FormattableString.Invariant($"it did not answer within {Timeout.TotalSeconds:0} seconds"));
            }
            process.WaitForExit();
            var output = stdout.Result;
            if (process.ExitCode != 0)
            {
                // Helpers say this (on stdout) when they simply hold nothing for the server.
                if (output.Contains("credentials not found", StringComparison.OrdinalIgnoreCase)) return null;
                // The helper's own words, not its output: that could echo a secret.
                throw new ModulusException(Errors.CredentialHelperFailed, name, configPath, serverUrl, $"exit code {process.ExitCode}: {FirstLine(stderr.Result)}");
            }
            return Parse(output, serverUrl);
        }
    }

    private RegistryCredential? Parse(string output, string serverUrl)
    {
        try
        {
            using var document = JsonDocument.Parse(output);
            var root = document.RootElement;
            var user = root.TryGetProperty("Username", out var u) ? u.GetString() ?? string.Empty : string.Empty;
            var secret = root.TryGetProperty("Secret", out var s) ? s.GetString() ?? string.Empty : string.Empty;
            if (secret.Length == 0) return null;
            return user == "<token>"
                ? new RegistryCredential(string.Empty, secret, isIdentityToken: true, "docker-credential-" + name)
                : new RegistryCredential(user, secret, isIdentityToken: false, "docker-credential-" + name);
        }
        catch (JsonException)
        {
            throw new ModulusException(Errors.CredentialHelperFailed, name, configPath, serverUrl, "its output is not the JSON object {\"Username\": ..., \"Secret\": ...}");
        }
    }

    private static string FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "no message";
}
