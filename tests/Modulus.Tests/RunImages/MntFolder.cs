using Modulus.Tests.TestSupport;

namespace Modulus.Tests.RunImages;

/// <summary>
/// A host folder laid out as the platform prepares the /mnt volume of a run image (CONTRACT.md):
/// tmp, home, log, app, notifications and app-storage, or of a build image (<see cref="BuildFolders"/>),
/// everything owned by mop (441:444). Writing files into it needs root, as the platform's host agent has.
/// </summary>
internal sealed class MntFolder : IDisposable
{
    private const string MopOwner = "441:444";
    private static readonly string[] RunFolders = ["tmp", "home", "log", "app", "notifications", "app-storage"];

    /// <summary>The volume of a build image: the source, the result, temp files and home.</summary>
    public static readonly string[] BuildFolders = ["input", "output", "tmp", "home"];

    private readonly TempDirectory _root = new("mnt");

    public MntFolder(params string[] folders)
    {
        foreach (var folder in folders.Length == 0 ? RunFolders : folders) Directory.CreateDirectory(_root.Combine(folder));
        Tools.RunChecked("chown", ["-R", MopOwner, Path]);
    }

    public string Path => _root.Path;

    /// <summary>Skips (fails in CI) unless the tests run as root, which giving files to uid 441 takes.</summary>
    public static void RequireRoot()
    {
        if (Environment.IsPrivilegedProcess) return;
        const string message = "the /mnt folder is handed to uid 441 with chown, which needs root; run the tests as root.";
        if (Tools.InCi) Assert.Fail(message);
        Assert.Ignore(message);
    }

    public string HostPath(string relative) => _root.Combine(relative);

    /// <summary>Writes a file owned by mop; an executable one gets mode 0755, others 0644.</summary>
    public void WriteFile(string relative, string content, bool executable = false)
    {
        var path = _root.WriteFile(relative, content);
        Tools.RunChecked("chmod", [executable ? "0755" : "0644", path]);
        Tools.RunChecked("chown", [MopOwner, path]);
    }

    /// <summary>Copies a host folder's contents to <paramref name="relative"/>, everything owned by mop.</summary>
    public void CopyFolder(string hostFolder, string relative)
    {
        var target = HostPath(relative);
        Directory.CreateDirectory(target);
        Tools.RunChecked("cp", ["-R", hostFolder.TrimEnd('/') + "/.", target]);
        Tools.RunChecked("chown", ["-R", MopOwner, HostPath(relative.Split('/')[0])]);
    }

    /// <summary>The text of a file, or empty while it does not exist.</summary>
    public string Read(string relative) => File.Exists(HostPath(relative)) ? File.ReadAllText(HostPath(relative)) : string.Empty;

    /// <summary>Every file of log/ and its text, for a failed assertion.</summary>
    public string DescribeLogs() => string.Join('\n', Directory.GetFiles(HostPath("log")).Order()
        .Select(f => $"--- {System.IO.Path.GetFileName(f)} ---\n{File.ReadAllText(f)}"));

    public void Dispose() => _root.Dispose();
}
