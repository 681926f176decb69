using Modulus.Debian;
using Modulus.Images;
using Modulus.Layers;
using Modulus.Oci;
using Modulus.Storage;

namespace Modulus.Tests.Debian;

[Explicit]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class ScratchProbe
{
    [Test]
    public async Task Probe()
    {
        var store = new BlobStore(Path.Combine(Path.GetTempPath(), "modulus-tests", "debian-cache"));
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var result = await DebianInstaller.PlanAsync(new DebianRequest { Packages = ["bash", "coreutils"], LockFilePath = "/tmp/probe/lock.json", RefreshLock = Environment.GetEnvironmentVariable("REFRESH") == "1" }, Image.Scratch(Platform.LinuxAmd64), store, new HttpClient());
        TestContext.Out.WriteLine($"plan {sw.Elapsed}");
        var root = "/tmp/probe/root";
        if (Directory.Exists(root)) Directory.Delete(root, true);
        Directory.CreateDirectory(root);
        foreach (var e in result.Entries)
        {
            var p = root + e.Path.Value;
            switch (e)
            {
                case DirectoryEntry: Directory.CreateDirectory(p); File.SetUnixFileMode(p, (UnixFileMode)e.Mode); break;
                case FileEntry f:
                    using (var s = f.Content.OpenRead()) using (var o = File.Create(p)) s.CopyTo(o);
                    File.SetUnixFileMode(p, (UnixFileMode)(e.Mode & 0x1ff)); break;
                case SymlinkEntry l: File.CreateSymbolicLink(p, l.Target); break;
            }
        }
        result.WriteSbom("/tmp/probe/sbom.json", "probe", DateTimeOffset.UnixEpoch);
        TestContext.Out.WriteLine($"done {sw.Elapsed} {result.Entries.Count} entries, {result.Lock.Packages.Count} packages");
    }
}
