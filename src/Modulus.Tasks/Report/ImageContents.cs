using System.Text.Json.Serialization;

namespace Modulus.Report;

/// <summary>
/// What image.html shows of a publish: the image's name and, per platform, its contents. The page
/// is this record as JSON with the viewer around it; nothing in it depends on the time, so the
/// same image built from the same base path gives the same page.
/// </summary>
public sealed record ImageContents(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("indexDigest")] string? IndexDigest,
    [property: JsonPropertyName("platforms")] IReadOnlyList<PlatformContents> Platforms)
{
    /// <summary>The standard's run-time checks of the build machine's platform's image, once ModulusVerifyImage ran them; null before.</summary>
    [JsonPropertyName("runtime"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<Verify.RuntimeCheckResult>? Runtime { get; init; }
}

/// <summary>One platform's image: its digests, base, layers, file system by folder, largest files, packages, checks and config.</summary>
public sealed record PlatformContents(
    [property: JsonPropertyName("platform")] string Platform,
    [property: JsonPropertyName("manifestDigest")] string ManifestDigest,
    [property: JsonPropertyName("configDigest")] string ConfigDigest,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("baseImage")] string BaseImage,
    [property: JsonPropertyName("baseDigest")] string? BaseDigest,
    [property: JsonPropertyName("layers")] IReadOnlyList<LayerRow> Layers,
    [property: JsonPropertyName("tree")] FolderNode Tree,
    [property: JsonPropertyName("packageNames")] IReadOnlyList<string> PackageNames,
    [property: JsonPropertyName("largest")] IReadOnlyList<FileRow> Largest,
    [property: JsonPropertyName("packages")] IReadOnlyList<InstalledDebianPackage> Packages,
    [property: JsonPropertyName("checks")] IReadOnlyList<CheckRow>? Checks,
    [property: JsonPropertyName("config")] ConfigSummary Config);

/// <summary>
/// A layer: what made it (<see cref="LayerKinds"/>), its history line, blob digest and size
/// (compressed), diffID, the bytes of its files' bodies (uncompressed) and its tar's entry count.
/// </summary>
public sealed record LayerRow(
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("createdBy")] string CreatedBy,
    [property: JsonPropertyName("digest")] string Digest,
    [property: JsonPropertyName("diffId")] string DiffId,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("fileBytes")] long FileBytes,
    [property: JsonPropertyName("entries")] int Entries);

/// <summary>
/// A folder of the merged file system, or a leaf: a large file, a folder too small to open, or a
/// folder's small files taken together. <see cref="Layer"/> and <see cref="Package"/> (an index
/// into <see cref="PlatformContents.PackageNames"/>, -1 for none) are those that own most of its bytes.
/// </summary>
public sealed record FolderNode(
    [property: JsonPropertyName("n")] string Name,
    [property: JsonPropertyName("s")] long Size,
    [property: JsonPropertyName("f")] int Files,
    [property: JsonPropertyName("l")] int Layer,
    [property: JsonPropertyName("p")] int Package,
    [property: JsonPropertyName("c"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<FolderNode>? Children = null,
    [property: JsonPropertyName("g"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Grouped = false);

/// <summary>A file, with the layer that provides it and the Debian package that owns it (null: none).</summary>
public sealed record FileRow(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("layer")] int Layer,
    [property: JsonPropertyName("package")] string? Package);

/// <summary>A rule of the run-image standard and its verdict: pass, warning, error, or "not checked" (a rule of a start the project did not declare).</summary>
public sealed record CheckRow(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("check")] string Check,
    [property: JsonPropertyName("verdict")] string Verdict,
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("paths")] IReadOnlyList<string> Paths);

/// <summary>The config a container starts with.</summary>
public sealed record ConfigSummary(
    [property: JsonPropertyName("user")] string? User,
    [property: JsonPropertyName("workingDir")] string? WorkingDir,
    [property: JsonPropertyName("entrypoint")] IReadOnlyList<string>? Entrypoint,
    [property: JsonPropertyName("cmd")] IReadOnlyList<string>? Cmd,
    [property: JsonPropertyName("env")] IReadOnlyList<string> Env,
    [property: JsonPropertyName("volumes")] IReadOnlyList<string> Volumes,
    [property: JsonPropertyName("ports")] IReadOnlyList<string> Ports,
    [property: JsonPropertyName("labels")] IReadOnlyDictionary<string, string> Labels,
    [property: JsonPropertyName("stopSignal")] string? StopSignal);

/// <summary>What made a layer, as the report's table and colours name it.</summary>
public static class LayerKinds
{
    public const string Base = "base";
    public const string Debian = "Debian packages";
    public const string Node = "Node.js runtime";
    public const string Npm = "npm packages";
    public const string DotNet = ".NET runtime";
    public const string Contract = "contract";
    public const string Files = "files";
    public const string App = "app";
    public const string Other = "other";
}
