using Microsoft.Build.Framework;
using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Layers;
using Modulus.Oci;
using Modulus.Plan;
using Modulus.Sources;

namespace Modulus.MSBuild;

/// <summary>
/// Maps the task's items and properties to an <see cref="ImagePlan"/>. Settings are read into
/// typed values here, once, each error located at its item or property; file, directory and
/// symlink declarations keep their raw strings for the publisher to check.
/// </summary>
internal sealed class PlanMapping(PublishModulusImage task, ItemLocator locator)
{
    private readonly ContainerPropertyMapping _dotNet = new(task, locator);

    public ImagePlan ToPlan()
    {
        var projectDirectory = Path.GetDirectoryName(Path.GetFullPath(task.ProjectFile))!;
        _dotNet.Warn();
        _dotNet.Refuse();
        var errorsBefore = locator.ErrorCount;
        var contract = new ContractMapping(task, locator, projectDirectory).ToContract();
        // A contract made from a placeholder would turn the config's checks against it into errors the project does not have.
        var contractKnown = locator.ErrorCount == errorsBefore;
        var repository = locator.ReadProperty("ContainerRepository", () => ImageRepository.Parse(task.Repository.Trim()));
        var archivePath = _dotNet.ArchivePath(repository, projectDirectory);
        var registry = string.IsNullOrWhiteSpace(task.Registry) ? null : locator.ReadProperty("ContainerRegistry", () => ConfigInputs.Registry(task.Registry.Trim()));
        var platforms = ReadPlatforms();
        return new ImagePlan
        {
            // Null only with an error recorded, and then the plan is not published.
            BaseImage = ReadBaseImage(projectDirectory)!,
            BaseImageLocation = locator.OfProperty("ModulusBaseImage"),
            ProjectDirectory = projectDirectory,
            Platform = platforms.Count > 0 ? platforms[0] : ReadPlatform(),
            Platforms = platforms.Count > 1 ? platforms : [],
            Files = task.Files.Select(File).ToArray(),
            Directories = task.Directories.Select(Directory).ToArray(),
            Symlinks = task.Symlinks.Select(Symlink).ToArray(),
            Apps = task.AppReferences.Select(App).ToArray(),
            Contract = contract,
            NodeRuntimes = task.NodeRuntimes
                .Select(i => new PlannedNodeRuntime(i.ItemSpec, Metadata(i, "NpmVersion"), locator.Of(i, "ModulusNodeRuntime")))
                .ToArray(),
            NpmPackages = task.NpmPackages
                .Select(i => new PlannedNpmPackage(i.ItemSpec, Metadata(i, "Version") ?? "*", Metadata(i, "Destination"), locator.Of(i, "ModulusNpmPackage")))
                .ToArray(),
            NpmRegistry = string.IsNullOrWhiteSpace(task.NpmRegistry) ? null : task.NpmRegistry.Trim(),
            Dotnet = new DotNetRuntimeMapping(task, locator).ToPlanned(),
            Config = new ConfigMapping(task, locator).ToConfig(contract, contractKnown),
            GeneratedLabels = _dotNet.Labels(),
            ArchiveCopyPath = archivePath,
            Repository = repository,
            Tags = ReadTags(),
            OutputDirectory = Path.GetFullPath(task.PublishDirectory, projectDirectory),
            IntermediateDirectory = Path.GetFullPath(task.IntermediateDirectory, projectDirectory),
            BlobCacheDirectory = Path.GetFullPath(task.BlobCache, projectDirectory),
            BlobCacheLimit = locator.ReadProperty("ModulusBlobCacheLimit", () => Storage.BlobCacheLimit.Parse(task.BlobCacheLimit), placeholder: null),
            Timestamp = locator.At(SourceLocation.Unknown, () => ConfigInputs.Timestamp(task.SourceDateEpoch)),
            LoadIntoDaemon = locator.ReadProperty("ModulusLoadIntoDaemon",
                () => ConfigInputs.Boolean(task.LoadIntoDaemon, "ModulusLoadIntoDaemon", defaultValue: false)),
            WriteImageReport = locator.ReadProperty("ModulusImageReport",
                () => ConfigInputs.Boolean(task.ImageReport, "ModulusImageReport", defaultValue: ImagePlan.WritesImageReportByDefault)),
            DockerHost = string.IsNullOrWhiteSpace(task.DockerHost) ? null : task.DockerHost.Trim(),
            Registry = _dotNet.Registry(registry, archivePath),
            CacheRepository = string.IsNullOrWhiteSpace(task.CacheRepository) ? null
                : locator.ReadProperty("ModulusCacheRepository", () => ConfigInputs.CacheRepository(task.CacheRepository.Trim())),
            RefreshBaseImage = locator.ReadProperty("ModulusRefreshBaseImage",
                () => ConfigInputs.Boolean(task.RefreshBaseImage, "ModulusRefreshBaseImage", defaultValue: false)),
            Debian = new DebianMapping(task, locator).ToPlanned(projectDirectory),
        };
    }

    /// <summary>
    /// ModulusBaseImage, which a referenced Modulus project's image fills in: one such reference,
    /// and no other base image, is the only consistent combination.
    /// </summary>
    private BaseImageSource? ReadBaseImage(string projectDirectory)
    {
        var baseImage = task.BaseImage.Trim();
        _dotNet.CheckBaseImage(baseImage);
        if (task.ReferencedImages.Length > 1)
        {
            var (first, second) = (task.ReferencedImages[0].GetMetadata("OriginalItemSpec"), task.ReferencedImages[1].GetMetadata("OriginalItemSpec"));
            locator.Check(new SourceLocation(task.ProjectFile, locator.OfProjectReference(second)), () => throw new ModulusException(Errors.TwoImageReferences, first, second));
            return null;
        }
        if (task.ReferencedImages is [var reference] && reference.GetMetadata("BaseImage") != baseImage)
        {
            var property = _dotNet.Value("ContainerBaseImage") == baseImage && locator.OfProperty("ModulusBaseImage").Line == 0 ? "ContainerBaseImage" : "ModulusBaseImage";
            var location = locator.OfProperty(property);
            locator.Check(location, () => throw new ModulusException(Errors.ImageReferenceAndBaseImage, baseImage, reference.GetMetadata("OriginalItemSpec"), property));
            return null;
        }
        return locator.ReadProperty("ModulusBaseImage", () => BaseImageSource.Parse(baseImage, projectDirectory));
    }

    /// <summary>
    /// ModulusPlatforms, else ContainerRuntimeIdentifiers (the .NET SDK's list, by default the
    /// project's RuntimeIdentifiers); none when ContainerRuntimeIdentifier names one platform, which
    /// wins as in the .NET SDK. Both lists set to different platforms is MOD5071.
    /// </summary>
    private IReadOnlyList<Oci.Platform> ReadPlatforms()
    {
        if (!string.IsNullOrWhiteSpace(task.RuntimeIdentifier)) return [];
        var identifiers = _dotNet.Value("ContainerRuntimeIdentifiers");
        var fromIdentifiers = identifiers is null ? null : locator.ReadProperty("ContainerRuntimeIdentifiers", () => ConfigInputs.PlatformsOfRuntimeIdentifiers(identifiers));
        if (string.IsNullOrWhiteSpace(task.Platforms)) return fromIdentifiers ?? [];
        var platforms = locator.ReadProperty("ModulusPlatforms", () => ConfigInputs.Platforms(task.Platforms));
        if (fromIdentifiers is { Count: > 1 } && platforms is not null && !fromIdentifiers.SequenceEqual(platforms))
            locator.Check(locator.OfProperty("ModulusPlatforms"), () => throw new ModulusException(Errors.PlatformsSetTwice, task.Platforms.Trim(), identifiers!));
        return platforms ?? [];
    }

    private Oci.Platform ReadPlatform() =>
        string.IsNullOrWhiteSpace(task.Platform)
            ? locator.ReadProperty("ContainerRuntimeIdentifier", () => ConfigInputs.Platform(null, task.RuntimeIdentifier))
            : locator.ReadProperty("ModulusPlatform", () => ConfigInputs.Platform(task.Platform, null));

    /// <summary>
    /// An inline file has Content; its Include is the path in the image, not a host file. Mode and
    /// Owner are read here; the destination, which depends on the other metadata and on the disk,
    /// by the publisher.
    /// </summary>
    private PlannedFile File(ITaskItem item)
    {
        var content = Metadata(item, "Content");
        var fullPath = item.GetMetadata("FullPath");
        var location = locator.Of(item, "ModulusFile");
        var (mode, owner) = locator.Read(item, "ModulusFile", () => (Mode(item, item.ItemSpec), Owner(item, item.ItemSpec)));
        if (content is not null)
        {
            // A relative Include that is also a project file makes the item ambiguous; the publisher says so.
            var namesHostFile = !item.ItemSpec.StartsWith('/') && System.IO.File.Exists(fullPath);
            return new PlannedFile(item.ItemSpec, namesHostFile ? fullPath : null, content, Metadata(item, "Destination"),
                item.ItemSpec, mode, owner, location);
        }
        var relativeName = item.GetMetadata("RecursiveDir") + item.GetMetadata("Filename") + item.GetMetadata("Extension");
        return new PlannedFile(item.ItemSpec, fullPath, null, Metadata(item, "Destination"), relativeName, mode, owner, location);
    }

    private PlannedDirectory Directory(ITaskItem item) => locator.Read(item, "ModulusDirectory", () => new PlannedDirectory(
        item.ItemSpec, UnixPath.Parse(item.ItemSpec, "ModulusDirectory"), Mode(item, item.ItemSpec), Owner(item, item.ItemSpec), locator.Of(item, "ModulusDirectory")));

    private PlannedSymlink Symlink(ITaskItem item) => locator.Read(item, "ModulusSymlink", () => new PlannedSymlink(
        item.ItemSpec, UnixPath.Parse(item.ItemSpec, "ModulusSymlink"), Metadata(item, "LinkTarget"), Owner(item, item.ItemSpec), locator.Of(item, "ModulusSymlink")));

    private static PermissionMode? Mode(ITaskItem item, string itemName) => PermissionMode.Parse(Metadata(item, "Mode"), itemName);

    /// <summary>Null when no Owner is written: root, as in every layer.</summary>
    private static OwnerSpec? Owner(ITaskItem item, string itemName) => Metadata(item, "Owner") is { } text ? OwnerSpec.Parse(text, itemName) : null;

    /// <summary>An app reference with its published files; a file's host path is its copy in the app's publish folder.</summary>
    private PlannedApp App(ITaskItem reference)
    {
        var files = task.AppFiles
            .Where(f => f.GetMetadata("ModulusAppReference") == reference.ItemSpec)
            .Select(f => PlannedAppFile.Published(f.GetMetadata("OutputPath"), f.GetMetadata("TargetPath"),
                string.Equals(f.GetMetadata("IsKeyOutput"), "true", StringComparison.OrdinalIgnoreCase), Metadata(f, "ModulusRuntimeIdentifier")))
            .ToArray();
        return AppMapping.ToPlanned(reference, files, locator);
    }

    private IReadOnlyList<ImageTag> ReadTags()
    {
        var source = string.IsNullOrWhiteSpace(task.Tags) ? task.Tag : task.Tags;
        var property = string.IsNullOrWhiteSpace(task.Tags) ? "ContainerImageTag" : "ContainerImageTags";
        var tags = (source ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        // Each tag on its own, so every bad one is reported.
        return tags.Distinct(StringComparer.Ordinal)
            .Select(tag => locator.ReadProperty<ImageTag?>(property, () => ImageTag.Parse(tag)))
            .OfType<ImageTag>()
            .ToArray();
    }

    /// <summary>Null when the metadata is missing or empty: MSBuild does not tell the two apart.</summary>
    private static string? Metadata(ITaskItem item, string name) => item.GetMetadata(name) is { Length: > 0 } value ? value : null;
}
