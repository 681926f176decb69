using System.IO.Compression;
using System.Security.Cryptography;
using Modulus.Diagnostics;

namespace Modulus.DotNet;

/// <summary>
/// A runtime pack (Microsoft.NETCore.App.Runtime.RID, Microsoft.AspNetCore.App.Runtime.RID) that
/// NuGet restore put in the package folder, reduced to the files a shared framework needs:
/// <c>runtimes/RID/lib/TFM/*</c>, <c>runtimes/RID/native/*</c> and <c>FRAMEWORK.versions.txt</c>.
/// <see cref="Files"/> maps each such entry name (as in the package) to a host copy under
/// <see cref="Folder"/>.
/// </summary>
public sealed record RuntimePack(string Id, string Version, string Folder, IReadOnlyDictionary<string, string> Files)
{
    /// <summary>
    /// Reads the pack from <paramref name="packageRoot"/> (NuGetPackageRoot). Restore checked the
    /// package's signature, wrote the SHA-512 of the .nupkg it downloaded to .nupkg.sha512 and
    /// then, last, .nupkg.metadata (so that file says the package is complete). The .nupkg is
    /// hashed again here and must match, so a package changed after restore is refused
    /// (MOD3204). (.nupkg.metadata's contentHash cannot serve: for a signed package it is the
    /// hash of the package without its signature.) The files come from the verified .nupkg
    /// itself, never from the folder restore extracted, and are copied once into
    /// <paramref name="cacheRoot"/>/dotnet/packs/HASH, written beside it and renamed into place:
    /// a later build that finds that folder knows its files passed this check.
    /// </summary>
    public static RuntimePack Read(string packageRoot, string id, string version, string runtimeIdentifier, string cacheRoot)
    {
        var lowerId = id.ToLowerInvariant();
        var lowerVersion = version.ToLowerInvariant();
        var packageFolder = Path.Combine(packageRoot, lowerId, lowerVersion);
        var nupkg = Path.Combine(packageFolder, $"{lowerId}.{lowerVersion}.nupkg");
        var recorded = nupkg + ".sha512";
        if (!File.Exists(nupkg) || !File.Exists(recorded) || !File.Exists(Path.Combine(packageFolder, ".nupkg.metadata")))
            throw new ModulusException(Errors.DotnetPackNotRestored, id, version, packageRoot, File.Exists(nupkg) ? "its restore did not finish" : "no .nupkg there");
        var expected = RecordedHash(recorded, id, version, packageRoot);
        // Keyed by what was extracted and how: a change to the files a framework is made of
        // (LayoutVersion) or another runtime identifier must not find an older extraction.
        var folder = Path.Combine(cacheRoot, "dotnet", "packs", LayoutVersion, runtimeIdentifier, Convert.ToHexStringLower(expected));
        if (Directory.Exists(folder)) Storage.CacheUse.TouchFolder(folder);
        else
        {
            // Hashed and extracted through one handle: the file cannot be swapped between the two.
            using var stream = new FileStream(nupkg, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            var actual = SHA512.HashData(stream);
            if (!actual.AsSpan().SequenceEqual(expected))
                throw new ModulusException(Errors.DotnetPackHashMismatch, nupkg, Convert.ToBase64String(expected), Convert.ToBase64String(actual), packageFolder);
            stream.Position = 0;
            Extract(stream, id, runtimeIdentifier, folder);
        }
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f).Replace('\\', '/'), f => f, StringComparer.Ordinal);
        return new RuntimePack(id, version, folder, files);
    }

    /// <summary>Names the files <see cref="IsFrameworkFile"/> selects; a new value when that changes.</summary>
    private const string LayoutVersion = "v1";

    private const int MaxEntries = 10_000;

    private const long MaxExtractedBytes = 1L << 30;

    /// <summary>Whether an entry of the package is one a shared framework is made of.</summary>
    public static bool IsFrameworkFile(string name, string runtimeIdentifier) =>
        name.StartsWith($"runtimes/{runtimeIdentifier}/lib/", StringComparison.Ordinal)
        || name.StartsWith($"runtimes/{runtimeIdentifier}/native/", StringComparison.Ordinal)
        || (!name.Contains('/') && name.EndsWith(".versions.txt", StringComparison.Ordinal));

    private static byte[] RecordedHash(string path, string id, string version, string packageRoot)
    {
        try
        {
            var hash = Convert.FromBase64String(File.ReadAllText(path).Trim());
            if (hash.Length == SHA512.HashSizeInBytes) return hash;
        }
        catch (FormatException)
        {
            // Reported below as a restore that did not finish.
        }
        throw new ModulusException(Errors.DotnetPackNotRestored, id, version, packageRoot, $"its {Path.GetFileName(path)} holds no SHA-512 hash");
    }

    private static void Extract(Stream nupkg, string id, string runtimeIdentifier, string folder)
    {
        var temp = folder + "." + Guid.NewGuid().ToString("N") + ".partial";
        try
        {
            Directory.CreateDirectory(temp);
            using (var zip = new ZipArchive(nupkg, ZipArchiveMode.Read, leaveOpen: true))
            {
                var selected = zip.Entries
                    .Select(entry => (Entry: entry, Name: PackageEntries.Check(entry, id)))
                    .Where(e => e.Name is not null && IsFrameworkFile(e.Name, runtimeIdentifier))
                    .ToArray();
                // A real shared framework is a few hundred files and well under 200 MB; far more is a zip bomb.
                var total = selected.Sum(e => e.Entry.Length);
                if (selected.Length > MaxEntries || total > MaxExtractedBytes)
                    throw new ModulusException(Errors.DotnetPackUnsafe, id, $"{selected.Length} framework files",
                        $"would extract {total} bytes, more than a shared framework holds ({MaxEntries} files, {MaxExtractedBytes} bytes at most)");
                foreach (var (entry, name) in selected)
                {
                    var target = Path.Combine(temp, name!);
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    try
                    {
                        entry.ExtractToFile(target);
                    }
                    catch (Exception e) when (e is InvalidDataException or IOException)
                    {
                        throw new ModulusException(Errors.DotnetPackUnsafe, id, name!, $"cannot be extracted ({e.Message})");
                    }
                }
            }
            try
            {
                Directory.Move(temp, folder);
            }
            catch (IOException) when (Directory.Exists(folder))
            {
                // Another build extracted the same package first; the copies are equal.
            }
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
    }
}
