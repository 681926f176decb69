using System.Diagnostics;

namespace Modulus.Tests.TestSupport;

/// <summary>
/// External programs the integration tests use as independent checks. A missing tool skips the
/// test on a developer machine and fails it in CI (CI=true), where .ci/run installs every tool.
/// </summary>
public static class Tools
{
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The full path of <paramref name="name"/> on PATH (or in /usr/sbin, /sbin), or skip/fail.</summary>
    public static string Require(string name)
    {
        var found = Find(name);
        if (found is not null) return found;
        var message = $"'{name}' is not installed; .ci/run installs it.";
        if (InCi) Assert.Fail(message);
        Assert.Ignore(message);
        return null!;
    }

    public static string? Find(string name)
    {
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':')
            .Concat(["/usr/sbin", "/sbin", "/usr/bin", "/bin"]);
        return dirs.Where(d => d.Length > 0).Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
    }

    public sealed record Result(int ExitCode, string StdOut, string StdErr)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{StdOut}\n--- stderr ---\n{StdErr}";
    }

    /// <summary>Runs a program to completion (killing it after <paramref name="timeout"/>).</summary>
    public static Result Run(string fileName, IEnumerable<string> arguments, TimeSpan? timeout = null,
        string? workingDirectory = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        if (environment is not null)
            foreach (var (k, v) in environment)
                if (v is null) info.Environment.Remove(k); else info.Environment[k] = v;
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{fileName} {string.Join(' ', arguments)} did not finish within {timeout}");
        }
        process.WaitForExit();
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs and asserts a zero exit code, printing everything the program said when not.</summary>
    public static Result RunChecked(string fileName, IEnumerable<string> arguments, TimeSpan? timeout = null,
        string? workingDirectory = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var args = arguments.ToArray();
        var result = Run(fileName, args, timeout, workingDirectory, environment);
        if (result.ExitCode != 0)
            Assert.Fail($"{fileName} {string.Join(' ', args)} failed:\n{result}");
        return result;
    }
}
