namespace Modulus.Tests.TestSupport;

/// <summary>A fresh folder under the system temp folder, deleted on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string? prefix = null)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "modulus-tests", (prefix ?? "t") + "-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Writes a file (creating folders) and returns its full path.</summary>
    public string WriteFile(string relative, string content)
    {
        var full = Combine(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    public void Dispose()
    {
        try
        {
            RemoveLockFiles();
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process still holding a file must not turn a passing test into a failure.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>
    /// The OS locks' files a Debian lock file written here left in the system temp folder
    /// (Storage/PathLock keeps them): a test run must not leave one per test behind.
    /// </summary>
    private void RemoveLockFiles()
    {
        foreach (var json in Directory.EnumerateFiles(Path, "*.json", SearchOption.AllDirectories))
        {
            var lockFile = Modulus.Storage.PathLock.LockFileFor(json);
            if (File.Exists(lockFile)) File.Delete(lockFile);
        }
    }
}
