using Microsoft.Build.Framework;
using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Publishing;

namespace Modulus.MSBuild;

/// <summary>
/// Maps the task's items and properties to an <see cref="ImagePlan"/>. Settings are validated
/// here, each error located at its item; file, directory and symlink declarations keep their raw
/// strings for the publisher to check.
/// </summary>
internal sealed class PlanMapping(PublishModulusImage task, ItemLocator locator)
{
    private readonly DotNetMapping _dotNet = new(task, locator);

    public ImagePlan ToPlan()
    {
        var projectDirectory = Path.GetDirectoryName(Path.GetFullPath(task.ProjectFile))!;
        _dotNet.Warn();
        _dotNet.Refuse();
        var contract = new ContractMapping(task, locator, projectDirectory).ToContract();
        var repository = locator.ReadProperty("ContainerRepository", () => ConfigInputs.Repository(task.Repository.Trim()));
        var archivePath = _dotNet.ArchivePath(repository, projectDirectory);
        var registry = string.IsNullOrWhiteSpace(task.Registry) ? null : locator.ReadProperty("ContainerRegistry", () => ConfigInputs.Registry(task.Registry.Trim()));
        return new ImagePlan
        {
            BaseImage = ReadBaseImage(),
            BaseImageLocation = locator.OfProperty("ModulusBaseImage"),
            ProjectDirectory = projectDirectory,
            Platform = ReadPlatform(),
            Files = task.Files.Select(File).ToArray(),
            Directories = task.Directories
                .Select(i => new PlannedDirectory(i.ItemSpec, Metadata(i, "Mode"), Metadata(i, "Owner"), locator.Of(i, "ModulusDirectory")))
                .ToArray(),
            Symlinks = task.Symlinks
                .Select(i => new PlannedSymlink(i.ItemSpec, Metadata(i, "LinkTarget"), Metadata(i, "Owner"), locator.Of(i, "ModulusSymlink")))
                .ToArray(),
            Apps = task.AppReferences.Select(App).ToArray(),
            Contract = contract,
            NodeRuntimes = task.NodeRuntimes
                .Select(i => new PlannedNodeRuntime(i.ItemSpec, Metadata(i, "NpmVersion"), locator.Of(i, "ModulusNodeRuntime")))
                .ToArray(),
            NpmPackages = task.NpmPackages
                .Select(i => new PlannedNpmPackage(i.ItemSpec, Metadata(i, "Version") ?? "*", Metadata(i, "Destination"), locator.Of(i, "ModulusNpmPackage")))
                .ToArray(),
            NpmRegistry = string.IsNullOrWhiteSpace(task.NpmRegistry) ? null : task.NpmRegistry.Trim(),
            Config = Config(contract),
            GeneratedLabels = Labels(),
            ArchiveCopyPath = archivePath,
            Repository = repository,
            Tags = ReadTags(),
            OutputDirectory = Path.GetFullPath(task.PublishDirectory, projectDirectory),
            IntermediateDirectory = Path.GetFullPath(task.IntermediateDirectory, projectDirectory),
            BlobCacheDirectory = Path.GetFullPath(task.BlobCache, projectDirectory),
            Timestamp = ConfigInputs.Timestamp(task.SourceDateEpoch),
            LoadIntoDaemon = locator.ReadProperty("ModulusLoadIntoDaemon",
                () => ConfigInputs.Boolean(task.LoadIntoDaemon, "ModulusLoadIntoDaemon", defaultValue: false)),
            DockerHost = string.IsNullOrWhiteSpace(task.DockerHost) ? null : task.DockerHost.Trim(),
            Registry = _dotNet.Registry(registry, archivePath),
            RefreshBaseImage = locator.ReadProperty("ModulusRefreshBaseImage",
                () => ConfigInputs.Boolean(task.RefreshBaseImage, "ModulusRefreshBaseImage", defaultValue: false)),
            Debian = new DebianMapping(task, locator).ToPlanned(projectDirectory),
        };
    }

    /// <summary>
    /// ModulusBaseImage, which a referenced Modulus project's image fills in: one such reference,
    /// and no other base image, is the only consistent combination.
    /// </summary>
    private string ReadBaseImage()
    {
        var baseImage = task.BaseImage.Trim();
        _dotNet.CheckBaseImage(baseImage);
        if (task.ReferencedImages.Length > 1)
        {
            var (first, second) = (task.ReferencedImages[0].GetMetadata("OriginalItemSpec"), task.ReferencedImages[1].GetMetadata("OriginalItemSpec"));
            throw new ModulusException(Errors.TwoImageReferences, first, second).At(task.ProjectFile, locator.OfProjectReference(second));
        }
        if (task.ReferencedImages is [var reference] && reference.GetMetadata("BaseImage") != baseImage)
        {
            var property = _dotNet.Value("ContainerBaseImage") == baseImage && locator.OfProperty("ModulusBaseImage").Line == 0 ? "ContainerBaseImage" : "ModulusBaseImage";
            var location = locator.OfProperty(property);
            throw new ModulusException(Errors.ImageReferenceAndBaseImage, baseImage, reference.GetMetadata("OriginalItemSpec"), property).At(location.File, location.Line);
        }
        return baseImage;
    }

    private Oci.Platform ReadPlatform() =>
        string.IsNullOrWhiteSpace(task.Platform)
            ? locator.ReadProperty("ContainerRuntimeIdentifier", () => ConfigInputs.Platform(null, task.RuntimeIdentifier))
            : locator.ReadProperty("ModulusPlatform", () => ConfigInputs.Platform(task.Platform, null));

    /// <summary>An inline file has Content; its Include is the path in the image, not a host file.</summary>
    private PlannedFile File(ITaskItem item)
    {
        var content = Metadata(item, "Content");
        var fullPath = item.GetMetadata("FullPath");
        var location = locator.Of(item, "ModulusFile");
        if (content is not null)
        {
            // A relative Include that is also a project file makes the item ambiguous; the publisher says so.
            var namesHostFile = !item.ItemSpec.StartsWith('/') && System.IO.File.Exists(fullPath);
            return new PlannedFile(item.ItemSpec, namesHostFile ? fullPath : null, content, Metadata(item, "Destination"),
                item.ItemSpec, Metadata(item, "Mode"), Metadata(item, "Owner"), location);
        }
        var relativeName = item.GetMetadata("RecursiveDir") + item.GetMetadata("Filename") + item.GetMetadata("Extension");
        return new PlannedFile(item.ItemSpec, fullPath, null, Metadata(item, "Destination"), relativeName,
            Metadata(item, "Mode"), Metadata(item, "Owner"), location);
    }

    /// <summary>An app reference with its published files; a file's host path is its copy in the app's publish folder.</summary>
    private PlannedApp App(ITaskItem reference)
    {
        var files = task.AppFiles
            .Where(f => f.GetMetadata("ModulusAppReference") == reference.ItemSpec)
            .Select(f => PlannedAppFile.Published(f.GetMetadata("OutputPath"), f.GetMetadata("TargetPath"),
                string.Equals(f.GetMetadata("IsKeyOutput"), "true", StringComparison.OrdinalIgnoreCase)))
            .ToArray();
        return AppMapping.ToPlanned(reference, files, locator);
    }

    private IReadOnlyList<string> ReadTags()
    {
        var source = string.IsNullOrWhiteSpace(task.Tags) ? task.Tag : task.Tags;
        var property = string.IsNullOrWhiteSpace(task.Tags) ? "ContainerImageTag" : "ContainerImageTags";
        var tags = (source ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return locator.ReadProperty(property, () => tags.Select(ConfigInputs.Tag).Distinct(StringComparer.Ordinal).ToArray());
    }

    private ConfigChanges Config(ContractPlan contract)
    {
        var (entrypoint, cmd) = Command(contract);
        return new ConfigChanges
        {
            Environment = task.EnvironmentVariables
                .Select(i => locator.Read(i, "ContainerEnvironmentVariable",
                    () => KeyValuePair.Create(ConfigInputs.EnvironmentVariableName(i.ItemSpec), i.GetMetadata("Value"))))
                .ToArray(),
            Labels = task.Labels
                .Select(i => locator.Read(i, "ContainerLabel", () => KeyValuePair.Create(ConfigInputs.LabelName(i.ItemSpec), i.GetMetadata("Value"))))
                .GroupBy(l => l.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal),
            Volumes = task.Volumes.Select(i => locator.Read(i, "ModulusVolume", () => ConfigInputs.ContainerPath(i.ItemSpec, "ModulusVolume"))).ToArray(),
            ExposedPorts = task.Ports.Select(i => locator.Read(i, "ContainerPort", () => ConfigInputs.Port(i.ItemSpec, i.GetMetadata("Type")))).ToArray(),
            User = string.IsNullOrWhiteSpace(task.User) ? null : locator.ReadProperty("ContainerUser", () => RunImageUser(contract, task.User.Trim())),
            WorkingDir = string.IsNullOrWhiteSpace(task.WorkingDirectory)
                ? null
                : locator.ReadProperty("ContainerWorkingDirectory", () => ConfigInputs.ContainerPath(task.WorkingDirectory, "ContainerWorkingDirectory")),
            Entrypoint = entrypoint,
            Cmd = cmd,
        };
    }

    /// <summary>
    /// Entrypoint and Cmd by the .NET SDK's rules (<see cref="ContainerCommand"/>); null keeps the
    /// base image's. A run image's command is the standard's, so there any of these is refused.
    /// </summary>
    private (IReadOnlyList<string>? Entrypoint, IReadOnlyList<string>? Cmd) Command(ContractPlan contract)
    {
        var items = new (string Type, ITaskItem[] Items)[]
        {
            ("ContainerAppCommand", task.AppCommand), ("ContainerAppCommandArgs", task.AppCommandArgs), ("ContainerDefaultArgs", task.DefaultArgs),
            ("ContainerEntrypoint", task.Entrypoint), ("ContainerEntrypointArgs", task.EntrypointArgs),
        };
        if (contract.Kind == Contract.ImageKind.Run)
        {
            var command = string.Join(' ', contract.Standard.Command);
            var (type, at) = items.FirstOrDefault(i => i.Items.Length > 0) is { Items: not null } set
                ? (set.Type, locator.Of(set.Items[0], set.Type))
                : string.IsNullOrWhiteSpace(task.AppCommandInstruction) ? (null, null) : ("ContainerAppCommandInstruction", locator.OfProperty("ContainerAppCommandInstruction"));
            if (type is not null) throw new ModulusException(Errors.RunImageCommand, type, command).At(at!.File, at.Line);
            return (null, null);
        }
        var location = items.FirstOrDefault(i => i.Items.Length > 0) is { Items: not null } first ? locator.Of(first.Items[0], first.Type) : locator.OfProperty("ContainerAppCommandInstruction");
        try
        {
            return ContainerCommand.Resolve(Words(task.Entrypoint), Words(task.EntrypointArgs), Words(task.AppCommand), Words(task.AppCommandArgs),
                Words(task.DefaultArgs), task.AppCommandInstruction);
        }
        catch (ModulusException e) when (e.File is null)
        {
            throw e.At(location.File, location.Line);
        }
    }

    /// <summary>In a run image, ContainerUser may only name the standard's user (by name or uid, with its group or gid).</summary>
    private static string RunImageUser(ContractPlan contract, string user)
    {
        if (contract.Kind != Contract.ImageKind.Run) return user;
        var s = contract.Standard;
        var parts = user.Split(':', 2);
        var isUser = parts[0] == s.UserName || parts[0] == s.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var isGroup = parts.Length == 1 || parts[1] == s.GroupName || parts[1] == s.Gid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return isUser && isGroup ? user : throw new ModulusException(Errors.RunImageUser, user, s.UserName, s.Uid);
    }

    /// <summary>ContainerGenerateLabels and its switches; all on unless the project turns them off, as in the .NET SDK.</summary>
    private GeneratedLabels Labels()
    {
        if (!Switch(task.GenerateLabels, "ContainerGenerateLabels")) return GeneratedLabels.None;
        var reference = task.ReferencedImages.Length == 1 ? task.ReferencedImages[0] : null;
        return new GeneratedLabels
        {
            FromProject = task.GeneratedLabels.GroupBy(i => i.ItemSpec, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Last().GetMetadata("Value"), StringComparer.Ordinal),
            WithCreated = Switch(task.GenerateCreatedLabel, "ContainerGenerateLabelsImageCreated"),
            WithBaseName = Switch(task.GenerateBaseNameLabel, "ContainerGenerateLabelsImageBaseName"),
            WithBaseDigest = Switch(task.GenerateBaseDigestLabel, "ContainerGenerateLabelsImageBaseDigest"),
            ReferencedBaseName = reference is null ? null : Metadata(reference, "ImageName"),
            ReferencedBaseDigest = reference is null ? null : Metadata(reference, "ImageDigest"),
        };
    }

    private bool Switch(string? value, string property) =>
        locator.ReadProperty(property, () => ConfigInputs.Boolean(value, property, defaultValue: true));

    private static IReadOnlyList<string> Words(ITaskItem[] items) => items.Select(i => i.ItemSpec).ToArray();

    /// <summary>Null when the metadata is missing or empty: MSBuild does not tell the two apart.</summary>
    private static string? Metadata(ITaskItem item, string name) => item.GetMetadata(name) is { Length: > 0 } value ? value : null;
}
