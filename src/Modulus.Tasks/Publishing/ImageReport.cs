using System.Text.Encodings.Web;
using Modulus.Plan;
using System.Text.Json;
using System.Text.Json.Serialization;
using Modulus.Images;
using Modulus.Storage;

namespace Modulus.Publishing;

/// <summary>One layer of a published image: blob digest and size (compressed) and diffID (uncompressed tar).</summary>
public sealed record ReportedLayer(
    [property: JsonPropertyName("digest")] string Digest,
    [property: JsonPropertyName("diffId")] string DiffId,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("mediaType")] string MediaType);

/// <summary>A push: registry/repository, the manifest digest its tags now name, and the tags.</summary>
public sealed record PushedImage(
    [property: JsonPropertyName("repository")] string Repository,
    [property: JsonPropertyName("digest")] string Digest,
    [property: JsonPropertyName("tags")] IReadOnlyList<string> Tags)
{
    /// <summary>registry/repository@digest: the reference a deployment should pin.</summary>
    [JsonPropertyName("reference")]
    public string Reference => $"{Repository}@{Digest}";
}

/// <summary>One platform's image of a multi-platform publish: its manifest, config, size, layers and its own docker-loadable tar and SBOM.</summary>
public sealed record ReportedPlatform(
    [property: JsonPropertyName("platform")] string Platform,
    [property: JsonPropertyName("manifestDigest")] string ManifestDigest,
    [property: JsonPropertyName("configDigest")] string ConfigDigest,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("layers")] IReadOnlyList<ReportedLayer> Layers,
    [property: JsonPropertyName("archivePath")] string ArchivePath,
    [property: JsonPropertyName("sbomPath")] string SbomPath)
{
    public static ReportedPlatform Of(Image image, string archivePath, string sbomPath) => new(
        image.Platform.ToString(), image.ManifestDigest.ToString(), image.ConfigDigest.ToString(), image.Size,
        ImageReport.LayersOf(image), archivePath, sbomPath);
}

/// <summary>
/// The standard's values an image was built and checked with, so a later verification runs it as
/// the same user with the same home and stop timeout, whatever the project's properties say by then.
/// </summary>
public sealed record ReportedStandard(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("user")] string User,
    [property: JsonPropertyName("uid")] int Uid,
    [property: JsonPropertyName("gid")] int Gid,
    [property: JsonPropertyName("home")] string Home,
    [property: JsonPropertyName("stopTimeoutSeconds")] int StopTimeoutSeconds)
{
    public static ReportedStandard Of(Plan.ContractPlan contract) => new(
        contract.Kind.ToString().ToLowerInvariant(), contract.Standard.UserName, contract.Standard.Uid, contract.Standard.Gid,
        contract.Standard.Home.ToString(), contract.Standard.StopTimeoutSeconds);

    public Contract.RunImageStandard ToStandard() => Contract.RunImageStandard.Default with
    {
        UserName = User,
        User = User,
        Uid = Uid,
        Gid = Gid,
        Home = Layers.UnixPath.Parse(Home),
        StopTimeoutSeconds = StopTimeoutSeconds,
    };
}

/// <summary>
/// modulus-image.json: what a publish produced, for scripts and for the next publish, which reads
/// it back instead of rebuilding when nothing changed.
/// </summary>
public sealed record ImageReport(
    [property: JsonPropertyName("repository")] string Repository,
    [property: JsonPropertyName("tags")] IReadOnlyList<string> Tags,
    [property: JsonPropertyName("platform")] string Platform,
    [property: JsonPropertyName("manifestDigest")] string ManifestDigest,
    [property: JsonPropertyName("configDigest")] string ConfigDigest,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("layers")] IReadOnlyList<ReportedLayer> Layers,
    [property: JsonPropertyName("layoutPath")] string LayoutPath,
    [property: JsonPropertyName("archivePath")] string ArchivePath)
{
    public const string FileName = "modulus-image.json";

    /// <summary>Where the image was pushed, when ContainerRegistry is set.</summary>
    [JsonPropertyName("pushed"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PushedImage? Pushed { get; init; }

    /// <summary>The SPDX 2.3 SBOM of the Debian packages the image installs; null when it installs none.</summary>
    [JsonPropertyName("sbomPath"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SbomPath { get; init; }

    /// <summary>image.html, the report a person reads (docs/images.md, "The image report"); null when ModulusImageReport is false.</summary>
    [JsonPropertyName("reportPath"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PagePath { get; init; }

    /// <summary>The image's kind and the standard's values it was built with; null in a report an earlier Modulus wrote.</summary>
    [JsonPropertyName("standard"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ReportedStandard? Standard { get; init; }

    /// <summary>The run-time checks of the standard, once ModulusVerifyImage ran them on this image (docs/sdk.md); null before.</summary>
    [JsonPropertyName("runtime"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<Verify.RuntimeCheckResult>? Runtime { get; init; }

    /// <summary>
    /// Of a multi-platform publish, the image index's digest (what the tags name); null for one
    /// platform. The fields above then describe the image of the build machine's platform (the one
    /// in image.tar), and <see cref="Platforms"/> every platform's image.
    /// </summary>
    [JsonPropertyName("indexDigest"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? IndexDigest { get; init; }

    /// <summary>Of a multi-platform publish, each platform's image, in index order; null for one platform.</summary>
    [JsonPropertyName("platforms"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ReportedPlatform>? Platforms { get; init; }

    /// <summary>Every file the report names, which must all exist for the publish to be up to date.</summary>
    [JsonIgnore]
    public IEnumerable<string> OutputFiles =>
        new[] { ArchivePath, SbomPath, PagePath }.Concat((Platforms ?? []).SelectMany(p => new[] { p.ArchivePath, p.SbomPath })).OfType<string>();

    /// <summary>Indented and with '+' and other ASCII left as they are: people and scripts read this file.</summary>
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static ImageReport Of(Image image, ImagePlan plan, string layoutPath, string archivePath) => new(
        plan.Repository.Value,
        plan.Tags.Select(t => t.Value).ToArray(),
        image.Platform.ToString(),
        image.ManifestDigest.ToString(),
        image.ConfigDigest.ToString(),
        image.Size,
        LayersOf(image),
        layoutPath,
        archivePath) { Standard = ReportedStandard.Of(plan.Contract) };

    internal static IReadOnlyList<ReportedLayer> LayersOf(Image image) =>
        image.Layers.Select(l => new ReportedLayer(l.Digest.ToString(), l.DiffId.ToString(), l.Size, l.MediaType)).ToArray();

    public void Write(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Options) + "\n");

    /// <summary>The report at <paramref name="path"/>, or null when it is missing or unreadable (then the image is rebuilt).</summary>
    public static ImageReport? TryRead(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<ImageReport>(File.ReadAllText(path), Options) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
