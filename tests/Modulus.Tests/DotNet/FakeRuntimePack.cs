using System.IO.Compression;
using System.Security.Cryptography;

namespace Modulus.Tests.DotNet;

/// <summary>
/// A small runtime pack in a NuGet package folder as restore leaves it: the .nupkg (a zip of the
/// given entries), its .nupkg.sha512 and .nupkg.metadata. Entry bodies are their own names.
/// </summary>
internal static class FakeRuntimePack
{
    public const string Rid = "linux-x64";

    public static readonly string[] NetCoreEntries =
    [
        "Microsoft.NETCore.App.versions.txt",
        $"runtimes/{Rid}/lib/net10.0/Microsoft.NETCore.App.deps.json",
        $"runtimes/{Rid}/lib/net10.0/Microsoft.NETCore.App.runtimeconfig.json",
        $"runtimes/{Rid}/lib/net10.0/System.Private.CoreLib.dll",
        $"runtimes/{Rid}/native/libcoreclr.so",
        $"runtimes/{Rid}/native/libhostpolicy.so",
        $"runtimes/{Rid}/native/libhostfxr.so",
        $"runtimes/{Rid}/native/createdump",
        "data/RuntimeList.xml",
        "Microsoft.NETCore.App.Runtime.linux-x64.nuspec",
    ];

    /// <summary>Writes the package and returns the path of its .nupkg.</summary>
    public static string Write(string packageRoot, string id, string version, IEnumerable<string> entries, int? unixMode = null)
    {
        var folder = Path.Combine(packageRoot, id.ToLowerInvariant(), version);
        Directory.CreateDirectory(folder);
        var nupkg = Path.Combine(folder, $"{id.ToLowerInvariant()}.{version}.nupkg");
        using (var zip = ZipFile.Open(nupkg, ZipArchiveMode.Create))
        {
            foreach (var name in entries)
            {
                var entry = zip.CreateEntry(name);
                if (unixMode is not null) entry.ExternalAttributes = unixMode.Value << 16;
                using var writer = new StreamWriter(entry.Open());
                writer.Write(name);
            }
        }
        Record(nupkg);
        File.WriteAllText(Path.Combine(folder, ".nupkg.metadata"), """{ "version": 2, "contentHash": "x" }""");
        return nupkg;
    }

    /// <summary>Writes the .nupkg.sha512 restore would write for the file as it is now.</summary>
    public static void Record(string nupkg) =>
        File.WriteAllText(nupkg + ".sha512", Convert.ToBase64String(SHA512.HashData(File.ReadAllBytes(nupkg))));
}
