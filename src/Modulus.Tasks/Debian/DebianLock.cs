using System.Text.Json;
using System.Text.Json.Serialization;
using Modulus.Diagnostics;

namespace Modulus.Debian;

/// <summary>
/// The index a locked package was resolved from: suite, component and its Release's date. No
/// mirror is recorded: the lock file is committed with the project, and where packages come from
/// is the building machine's configuration (its apt sources or MODULUS_DEBIAN_MIRROR).
/// </summary>
public sealed record LockedIndex(
    [property: JsonPropertyName("suite")] string Suite,
    [property: JsonPropertyName("component")] string Component,
    [property: JsonPropertyName("date")] string Date);

/// <summary>One resolved package: exactly which file to install and how to check it.</summary>
public sealed record LockedPackage(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("architecture")] string Architecture,
    [property: JsonPropertyName("sha256")] string Sha256,
    [property: JsonPropertyName("filename")] string Filename,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("suite")] string Suite,
    [property: JsonPropertyName("component")] string Component);

/// <summary>
/// The lock file: the request it answers and every package it resolved to, in install order
/// (dependencies first). A build whose request matches installs exactly these files.
/// </summary>
public sealed record DebianLock(
    [property: JsonPropertyName("lockVersion")] int LockVersion,
    [property: JsonPropertyName("suite")] string Suite,
    [property: JsonPropertyName("architecture")] string Architecture,
    [property: JsonPropertyName("request")] IReadOnlyList<string> Request,
    [property: JsonPropertyName("minimalSystem")] bool MinimalSystem,
    [property: JsonPropertyName("indexes")] IReadOnlyList<LockedIndex> Indexes,
    [property: JsonPropertyName("packages")] IReadOnlyList<LockedPackage> Packages)
{
    public const int CurrentVersion = 1;

    // Versions and file names keep their '+' readable ("1.2-3+deb12u1"), as in Debian's own files.
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Why this lock does not answer the given request, or null when it does.</summary>
    public string? Mismatch(string suite, string architecture, IReadOnlyList<string> request, bool minimalSystem)
    {
        if (Suite != suite) return $"it is for suite '{Suite}', not '{suite}'";
        if (Architecture != architecture) return $"it is for architecture '{Architecture}', not '{architecture}'";
        if (MinimalSystem != minimalSystem) return minimalSystem ? "it has no minimal system" : "it adds a minimal system";
        if (!Request.SequenceEqual(request)) return $"it was made for '{string.Join(", ", Request)}', not '{string.Join(", ", request)}'";
        return null;
    }

    public static DebianLock Read(string path)
    {
        try
        {
            var lockFile = JsonSerializer.Deserialize<DebianLock>(File.ReadAllBytes(path), Json)
                ?? throw new JsonException("it is empty");
            if (lockFile.LockVersion != CurrentVersion) throw new JsonException($"its lockVersion is {lockFile.LockVersion}, this Modulus reads {CurrentVersion}");
            if (lockFile.Packages is null || lockFile.Request is null || lockFile.Indexes is null) throw new JsonException("it lacks request, indexes or packages");
            if (lockFile.Packages.FirstOrDefault(p => !DebianPackage.IsSha256(p.Sha256) || string.IsNullOrEmpty(p.Filename) || p.Filename.Split('/').Contains("..")) is { } bad)
                throw new JsonException($"package '{bad.Name}' has an invalid sha256 or filename");
            return lockFile;
        }
        catch (JsonException e)
        {
            throw new ModulusException(Errors.InvalidDebianLockFile, e, path, e.Message);
        }
    }

    /// <summary>Writes through a temporary file, so a reader never sees half a lock.</summary>
    public void Write(string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllBytes(temp, [.. JsonSerializer.SerializeToUtf8Bytes(this, Json), (byte)'\n']);
        File.Move(temp, full, overwrite: true);
    }
}
