using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Layers;
using Modulus.Oci;
using Modulus.Sources;

namespace Modulus.Plan;

/// <summary>
/// Everything needed to publish one image, as plain data with no I/O. Settings are typed values,
/// checked when they were made (repository, tags, base image, modes, owners, paths in the image);
/// what can only be checked against the other declarations or the disk (destinations, duplicate
/// paths, sources) is checked by the pipeline's <c>LayerPlanner</c>, each error at its declaration.
/// </summary>
public sealed record ImagePlan
{
    /// <summary>ModulusBaseImage, read: scratch, a local image (path resolved against <see cref="ProjectDirectory"/>) or a registry image.</summary>
    public required BaseImageSource BaseImage { get; init; }

    public SourceLocation BaseImageLocation { get; init; } = SourceLocation.Unknown;

    /// <summary>The project's folder, which relative paths of the plan were resolved against.</summary>
    public required string ProjectDirectory { get; init; }

    /// <summary>The platform the pipeline builds for; of a multi-platform plan, the one the per-platform plan is for.</summary>
    public required Platform Platform { get; init; }

    /// <summary>
    /// ModulusPlatforms or ContainerRuntimeIdentifiers: every platform of a multi-platform image, in
    /// the order of its image index; empty (or one) for an image of <see cref="Platform"/> alone,
    /// whose outputs are those of a single image.
    /// </summary>
    public IReadOnlyList<Platform> Platforms { get; init; } = [];

    /// <summary>Whether the publish writes an image index over one image per platform.</summary>
    public bool IsMultiPlatform => Platforms.Count > 1;

    /// <summary>
    /// The plan of one platform's image: the steps run on it as on a single-platform plan. The .NET
    /// runtimes come from that platform's runtime packs, an app published once per platform is
    /// that platform's publish; the rest follows from <see cref="Platform"/>.
    /// </summary>
    public ImagePlan ForPlatform(Platform platform) => this with
    {
        Platform = platform,
        Platforms = [],
        Dotnet = Dotnet is null ? null : Dotnet with { RuntimeIdentifier = DotNet.DotnetRuntimeRequest.RuntimeIdentifier(platform) },
        Apps = Apps.Select(a => a.ForRuntimeIdentifier(DotNet.DotnetRuntimeRequest.TryRuntimeIdentifier(platform))).ToArray(),
    };

    public IReadOnlyList<PlannedFile> Files { get; init; } = [];

    public IReadOnlyList<PlannedDirectory> Directories { get; init; } = [];

    public IReadOnlyList<PlannedSymlink> Symlinks { get; init; } = [];

    /// <summary>.NET apps' publish outputs: each a layer of its own on top of the files layer.</summary>
    public IReadOnlyList<PlannedApp> Apps { get; init; } = [];

    /// <summary>The standard the image follows: the run-image contract, or none (the default for a plan built in code).</summary>
    public ContractPlan Contract { get; init; } = ContractPlan.Plain;

    /// <summary>ModulusNodeRuntime items: each a layer of its own under /opt/modulus/node.</summary>
    public IReadOnlyList<PlannedNodeRuntime> NodeRuntimes { get; init; } = [];

    /// <summary>ModulusNpmPackage items: one layer of all of them.</summary>
    public IReadOnlyList<PlannedNpmPackage> NpmPackages { get; init; } = [];

    /// <summary>ModulusNpmRegistry; null means the registry of the machine's npm configuration.</summary>
    public string? NpmRegistry { get; init; }

    /// <summary>ModulusDotnetRuntime items and where restore put their runtime packs; null when none are declared.</summary>
    public PlannedDotnet? Dotnet { get; init; }

    /// <summary>Config changes, already validated (ports, variable names, label names).</summary>
    public ConfigChanges Config { get; init; } = new();

    /// <summary>Labels generated as the .NET SDK's ContainerGenerateLabels writes them; the project's own labels win.</summary>
    public GeneratedLabels GeneratedLabels { get; init; } = GeneratedLabels.None;

    /// <summary>
    /// ContainerArchiveOutputPath, resolved to a file: a copy of the docker-loadable tar written
    /// there too (the publish folder keeps its own); null for none.
    /// </summary>
    public string? ArchiveCopyPath { get; init; }

    public required ImageRepository Repository { get; init; }

    public required IReadOnlyList<ImageTag> Tags { get; init; }

    /// <summary>The publish folder that receives the OCI layout, the tar and modulus-image.json.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>A per-project folder for the up-to-date fingerprint.</summary>
    public required string IntermediateDirectory { get; init; }

    /// <summary>The blob store shared between builds.</summary>
    public required string BlobCacheDirectory { get; init; }

    /// <summary>
    /// ModulusBlobCacheLimit in bytes: after a publish the cache is pruned to it (at most once an
    /// hour, see <see cref="Storage.BlobCachePruner.AfterPublish"/>). Null: never pruned. The SDK
    /// sets <see cref="Storage.BlobCacheLimit.Default"/> when the project says nothing.
    /// </summary>
    public long? BlobCacheLimit { get; init; }

    /// <summary>Every entry's mtime and the image's creation time (SOURCE_DATE_EPOCH or the epoch).</summary>
    public DateTimeOffset Timestamp { get; init; } = LayerWriterOptions.DefaultTimestamp;

    public bool LoadIntoDaemon { get; init; }

    /// <summary>ModulusImageReport: write image.html beside modulus-image.json (docs/images.md, "The image report").</summary>
    public bool WriteImageReport { get; init; } = WritesImageReportByDefault;

    /// <summary>Whether a publish writes image.html when the project does not say.</summary>
    public const bool WritesImageReportByDefault = true;

    /// <summary>The daemon to load into; null means DOCKER_HOST or the default socket.</summary>
    public string? DockerHost { get; init; }

    /// <summary>ContainerRegistry, host[:port]: the image is pushed there as Repository:Tags; null means no push.</summary>
    public string? Registry { get; init; }

    /// <summary>
    /// ModulusCacheRepository (or MODULUS_CACHE_REPOSITORY): the registry repository steps' finished
    /// layers are shared through (Modulus.BuildCache); null: none. It decides where a layer comes
    /// from, never its bytes, so it is no input of the plan's fingerprint.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public ImageReference? CacheRepository { get; init; }

    /// <summary>
    /// The build of Modulus the build cache's keys name (<see cref="BuildCache.StepCacheKey.ThisBuild"/>
    /// unless a caller says otherwise): entries another build wrote are other keys, never taken.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string CacheBuild { get; init; } = BuildCache.StepCacheKey.ThisBuild;

    /// <summary>ModulusRefreshBaseImage: ask the registry what a base image tag names now, however fresh the last answer.</summary>
    public bool RefreshBaseImage { get; init; }

    /// <summary>Debian packages to install in a layer below the project's files; null when none are declared.</summary>
    public PlannedDebian? Debian { get; init; }
}

/// <summary>
/// A regular file: from the host (<see cref="SourcePath"/>) or inline (<see cref="Content"/>, with
/// the destination written as the item itself). <see cref="Name"/> is the item as written, for
/// errors; <see cref="RelativeName"/> is the name kept under a Destination folder (the glob's
/// recursive part plus the file name). A null Mode or Owner means the default (0644, root).
/// </summary>
public sealed record PlannedFile(
    string Name,
    string? SourcePath,
    string? Content,
    string? Destination,
    string RelativeName,
    PermissionMode? Mode,
    OwnerSpec? Owner,
    SourceLocation Location);

/// <summary>A folder: <see cref="Name"/> as written, for errors; <see cref="Path"/> read. A null Mode or Owner means 0755, root.</summary>
public sealed record PlannedDirectory(string Name, UnixPath Path, PermissionMode? Mode, OwnerSpec? Owner, SourceLocation Location);

/// <summary>A symbolic link: <see cref="Name"/> as written, for errors; <see cref="Path"/> read. A null Owner means root.</summary>
public sealed record PlannedSymlink(string Name, UnixPath Path, string? LinkTarget, OwnerSpec? Owner, SourceLocation Location);
