using System.Text.Json;
using System.Text.Json.Serialization;

namespace Modulus.Debian;

public enum DebEntryType { File, Directory, Symlink, HardLink }

/// <summary>
/// One entry of a package's data.tar as dpkg would install it. <see cref="Path"/> is the path the
/// package names (dpkg's .list records it so); <see cref="Body"/> is a file below the unpacked
/// folder holding a regular file's bytes; <see cref="Target"/> is a symlink's target verbatim or
/// a hard link's (normalized) target path.
/// </summary>
public sealed record DebEntry(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("type")] DebEntryType Type,
    [property: JsonPropertyName("mode")] int Mode,
    [property: JsonPropertyName("uid")] int Uid,
    [property: JsonPropertyName("gid")] int Gid,
    [property: JsonPropertyName("target"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Target = null,
    [property: JsonPropertyName("body"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Body = null);

/// <summary>
/// A .deb unpacked once into a cache folder named by its SHA256: <c>control/</c> holds the
/// control members (control, md5sums, conffiles, maintainer scripts), <c>files/</c> the bodies
/// of regular files and <c>entries.json</c> the data.tar listing with owners and modes.
/// </summary>
public sealed class UnpackedPackage
{
    // Written last; the cache's verify takes a folder without it for an unfinished one.
    internal const string EntriesFile = Storage.BlobCacheVerifier.UnpackedPackageMarker;

    internal static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private UnpackedPackage(string folder, IReadOnlyList<DebEntry> entries, ControlParagraph control)
    {
        Folder = folder;
        Entries = entries;
        Control = control;
    }

    public string Folder { get; }

    public IReadOnlyList<DebEntry> Entries { get; }

    /// <summary>The package's own control file (not the index's stanza, which adds download fields).</summary>
    public ControlParagraph Control { get; }

    public string Name => Control.Get("Package");

    public string ControlFilePath(string member) => System.IO.Path.Combine(Folder, "control", member);

    /// <summary>The names of the control members besides "control" itself (md5sums, conffiles, postinst, ...).</summary>
    public IEnumerable<string> ControlMembers =>
        Directory.EnumerateFiles(System.IO.Path.Combine(Folder, "control"))
            .Select(f => System.IO.Path.GetFileName(f))
            .Where(n => n != "control")
            .Order(StringComparer.Ordinal);

    public string? ReadControlMember(string member) =>
        File.Exists(ControlFilePath(member)) ? File.ReadAllText(ControlFilePath(member)) : null;

    public string BodyPath(DebEntry entry) => System.IO.Path.Combine(Folder, entry.Body!);

    public static bool Exists(string folder) => File.Exists(System.IO.Path.Combine(folder, EntriesFile));

    /// <summary>The unpacked package in <paramref name="folder"/>, marked used for the cache's pruning (the folder is one unit of it).</summary>
    public static UnpackedPackage Load(string folder)
    {
        Storage.CacheUse.TouchFolder(folder);
        var entries = JsonSerializer.Deserialize<List<DebEntry>>(File.ReadAllBytes(System.IO.Path.Combine(folder, EntriesFile)), Json)
            ?? throw new InvalidDataException($"{folder} has an empty listing");
        var control = ControlParagraph.ParseAll(File.ReadAllText(System.IO.Path.Combine(folder, "control", "control"))).First();
        return new UnpackedPackage(folder, entries, control);
    }
}
