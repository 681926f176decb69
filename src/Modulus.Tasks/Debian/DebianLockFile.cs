using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Modulus.Diagnostics;

namespace Modulus.Debian;

/// <summary>
/// A lock file's content: one <see cref="DebianLock"/> per architecture. A single architecture is
/// written as version 1, the lock itself, exactly as before several were possible, so that
/// committed lock files of single-platform projects never change. Several are written as version
/// 2: <c>{"lockVersion": 2, "locks": [...]}</c>, each entry a version 1 lock, sorted by
/// architecture so that adding one leaves the others' text as it was (a small diff to review).
/// </summary>
public sealed class DebianLockFile
{
    public const int MultiArchitectureVersion = 2;

    // Versions and file names keep their '+' readable ("1.2-3+deb12u1"), as in Debian's own files.
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public DebianLockFile(IEnumerable<DebianLock> locks)
    {
        Locks = [.. locks.OrderBy(l => l.Architecture, StringComparer.Ordinal)];
        if (Locks.Count == 0) throw new ArgumentException("A lock file holds at least one architecture.", nameof(locks));
        if (Locks.GroupBy(l => l.Architecture).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new ArgumentException($"A lock file holds one lock per architecture, not two for {twice.Key}.", nameof(locks));
    }

    /// <summary>Sorted by architecture (ordinal).</summary>
    public IReadOnlyList<DebianLock> Locks { get; }

    public IEnumerable<string> Architectures => Locks.Select(l => l.Architecture);

    public DebianLock? For(string architecture) => Locks.FirstOrDefault(l => l.Architecture == architecture);

    /// <summary>This file with <paramref name="locked"/> in place of its architecture's lock, or added.</summary>
    public DebianLockFile With(DebianLock locked) => new(Locks.Where(l => l.Architecture != locked.Architecture).Append(locked));

    public static DebianLockFile? ReadIfExists(string path) => File.Exists(path) ? Read(path) : null;

    /// <summary>The lock file at <paramref name="path"/>, either version; anything else is MOD3014 naming the file.</summary>
    public static DebianLockFile Read(string path)
    {
        try
        {
            return Parse(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new ModulusException(Errors.InvalidDebianLockFile, e, path, e.Message);
        }
    }

    /// <exception cref="JsonException">The bytes are no lock file of either version.</exception>
    public static DebianLockFile Parse(byte[] bytes)
    {
        using var document = JsonDocument.Parse(bytes);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new JsonException("it is not a JSON object");
        var version = root.TryGetProperty("lockVersion", out var v) && v.TryGetInt32(out var n) ? n : 0;
        if (version == DebianLock.CurrentVersion) return new DebianLockFile([Checked(root.Deserialize<DebianLock>(Json))]);
        if (version != MultiArchitectureVersion)
            throw new JsonException($"its lockVersion is {version}, this Modulus reads {DebianLock.CurrentVersion} and {MultiArchitectureVersion}");
        var file = root.Deserialize<MultiArchitectureFile>(Json);
        if (file?.Locks is not { Count: > 0 } locks) throw new JsonException("it has no locks");
        var checkedLocks = locks.Select(Checked).ToList();
        if (checkedLocks.GroupBy(l => l.Architecture).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new JsonException($"it has two locks for architecture {twice.Key}");
        return new DebianLockFile(checkedLocks);
    }

    public byte[] ToBytes() =>
        [.. Locks.Count == 1
            ? JsonSerializer.SerializeToUtf8Bytes(Locks[0], Json)
            : JsonSerializer.SerializeToUtf8Bytes(new MultiArchitectureFile(MultiArchitectureVersion, Locks), Json), (byte)'\n'];

    /// <summary>Writes through a temporary file, so a reader never sees half a lock.</summary>
    public void Write(string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            File.WriteAllBytes(temp, ToBytes());
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>
    /// What of the lock file at <paramref name="path"/> an image of <paramref name="architectures"/>
    /// depends on: their locks alone, so that another platform's build adding its architecture
    /// does not rebuild this one. A file that cannot be read counts by its bytes (the build then
    /// fails on it anyway).
    /// </summary>
    public static string Fingerprint(string path, IEnumerable<string> architectures)
    {
        if (!File.Exists(path)) return "missing";
        var bytes = File.ReadAllBytes(path);
        DebianLockFile file;
        try
        {
            file = Parse(bytes);
        }
        catch (JsonException)
        {
            return Convert.ToHexStringLower(SHA256.HashData(bytes));
        }
        return string.Join(",", architectures.Distinct().Order(StringComparer.Ordinal).Select(a => file.For(a) is { } locked
            ? $"{a}:{Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(locked, Json)))}"
            : $"{a}:missing"));
    }

    private static DebianLock Checked(DebianLock? locked) =>
        locked is null ? throw new JsonException("it has an empty lock")
        : locked.Invalid() is { } why ? throw new JsonException(locked.Architecture is { Length: > 0 } a ? $"its {a} lock: {why}" : why)
        : locked;

    private sealed record MultiArchitectureFile(
        [property: JsonPropertyName("lockVersion")] int LockVersion,
        [property: JsonPropertyName("locks")] IReadOnlyList<DebianLock> Locks);
}
