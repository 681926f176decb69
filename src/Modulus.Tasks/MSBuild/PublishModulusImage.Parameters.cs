using Microsoft.Build.Framework;

namespace Modulus.MSBuild;

/// <summary>The inputs and outputs of <see cref="PublishModulusImage"/>; Sdk.targets fills them from the project.</summary>
public sealed partial class PublishModulusImage
{
    /// <summary>The project being published: relative paths are resolved against its folder, and errors point into it.</summary>
    [Required]
    public string ProjectFile { get; set; } = string.Empty;

    /// <summary>ModulusBaseImage: scratch, oci-layout:PATH[:TAG], oci-archive:PATH, docker-archive:PATH or a registry reference (docker://REF or bare).</summary>
    [Required]
    public string BaseImage { get; set; } = string.Empty;

    /// <summary>
    /// The images of the Modulus projects this project references, one item per project:
    /// metadata BaseImage (oci-layout:PATH:TAG of its published image) and OriginalItemSpec (the
    /// ProjectReference's Include). Sdk.targets makes BaseImage that spec when the project set none.
    /// </summary>
    public ITaskItem[] ReferencedImages { get; set; } = [];

    /// <summary>ModulusPlatform, os/arch[/variant]; empty means ContainerRuntimeIdentifier's platform, else linux/amd64.</summary>
    public string? Platform { get; set; }

    /// <summary>ContainerRuntimeIdentifier (linux-x64, linux-arm64, ...), used when Platform is empty.</summary>
    public string? RuntimeIdentifier { get; set; }

    /// <summary>
    /// ModulusPlatforms, os/arch[/variant] separated by ';': with two or more, one image per
    /// platform and an image index over them. ContainerRuntimeIdentifiers (in DotNetProperties) says
    /// the same with runtime identifiers; a set ContainerRuntimeIdentifier wins over both.
    /// </summary>
    public string? Platforms { get; set; }

    /// <summary>ModulusFile items: host files (metadata Destination, Mode, Owner) or inline files (Include = path in the image, metadata Content).</summary>
    public ITaskItem[] Files { get; set; } = [];

    /// <summary>ModulusDirectory items: Include = path in the image; metadata Mode, Owner.</summary>
    public ITaskItem[] Directories { get; set; } = [];

    /// <summary>ModulusSymlink items: Include = link path in the image; metadata LinkTarget (MSBuild reserves Target), Owner.</summary>
    public ITaskItem[] Symlinks { get; set; } = [];

    /// <summary>
    /// The ProjectReference items with a Destination (.NET app projects, checked by
    /// <see cref="CheckModulusAppReferences"/>): Include as written; metadata Destination, Mode,
    /// Owner, and ModulusAppName (the project's file name, for the layer's history).
    /// </summary>
    public ITaskItem[] AppReferences { get; set; } = [];

    /// <summary>
    /// The apps' publish output (the items of their PublishItemsOutputGroup): metadata OutputPath
    /// (the published file), TargetPath (its path below Destination), IsKeyOutput (the apphost)
    /// and ModulusAppReference (the Include of the reference it belongs to).
    /// </summary>
    public ITaskItem[] AppFiles { get; set; } = [];

    /// <summary>ModulusNpmPackage items: Include = package name; metadata Version (exact or range), Destination (the folder of its files).</summary>
    public ITaskItem[] NpmPackages { get; set; } = [];

    /// <summary>ModulusNodeRuntime items: Include = Node.js version or range; metadata NpmVersion (optional).</summary>
    public ITaskItem[] NodeRuntimes { get; set; } = [];

    /// <summary>ModulusNpmRegistry: the npm registry URL; empty means the machine's npm configuration.</summary>
    public string? NpmRegistry { get; set; }

    /// <summary>ModulusVolume items: Include = path in the image.</summary>
    public ITaskItem[] Volumes { get; set; } = [];

    /// <summary>ContainerRepository: the image's repository name, lower case.</summary>
    [Required]
    public string Repository { get; set; } = string.Empty;

    /// <summary>ContainerImageTag: one tag.</summary>
    public string? Tag { get; set; }

    /// <summary>ContainerImageTags: ';'-separated tags; when set, replaces Tag.</summary>
    public string? Tags { get; set; }

    /// <summary>ContainerEnvironmentVariable items: Include = name; metadata Value.</summary>
    public ITaskItem[] EnvironmentVariables { get; set; } = [];

    /// <summary>ContainerLabel items: Include = name; metadata Value.</summary>
    public ITaskItem[] Labels { get; set; } = [];

    /// <summary>ContainerPort items: Include = port number; metadata Type (tcp or udp, default tcp).</summary>
    public ITaskItem[] Ports { get; set; } = [];

    /// <summary>ContainerUser: the user the container runs as.</summary>
    public string? User { get; set; }

    /// <summary>ContainerWorkingDirectory: an absolute path in the image.</summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>ContainerAppCommand items: the entrypoint, one item per word.</summary>
    public ITaskItem[] AppCommand { get; set; } = [];

    /// <summary>ContainerAppCommandArgs items: words appended to the entrypoint.</summary>
    public ITaskItem[] AppCommandArgs { get; set; } = [];

    /// <summary>ContainerDefaultArgs items: the image's Cmd, arguments a `docker run` can replace.</summary>
    public ITaskItem[] DefaultArgs { get; set; } = [];

    /// <summary>ContainerEntrypoint items (the older name of ContainerAppCommand); wins when both are set.</summary>
    public ITaskItem[] Entrypoint { get; set; } = [];

    /// <summary>ContainerEntrypointArgs items (the older name of ContainerAppCommandArgs).</summary>
    public ITaskItem[] EntrypointArgs { get; set; } = [];

    /// <summary>ModulusImageReport: false to write no image.html beside modulus-image.json.</summary>
    public string? ImageReport { get; set; }

    /// <summary>ModulusLoadIntoDaemon: true to `docker load` the image after publishing.</summary>
    public string? LoadIntoDaemon { get; set; }

    /// <summary>ModulusDockerHost: the daemon's unix:// or tcp:// address; empty means DOCKER_HOST or the default socket.</summary>
    public string? DockerHost { get; set; }

    /// <summary>ModulusCacheRepository (else MODULUS_CACHE_REPOSITORY): host[:port]/path of the registry repository shared as the build cache; empty means none.</summary>
    public string? CacheRepository { get; set; }

    /// <summary>ContainerRegistry: host[:port] to push the image to as Repository:Tags; empty means no push.</summary>
    public string? Registry { get; set; }

    /// <summary>ModulusRefreshBaseImage: true to re-resolve a registry base image's tag on this publish.</summary>
    public string? RefreshBaseImage { get; set; }

    /// <summary>ModulusBlobCache: the folder of cached blobs shared between builds.</summary>
    [Required]
    public string BlobCache { get; set; } = string.Empty;

    /// <summary>ModulusBlobCacheLimit: the most the blob cache may hold (10GB, 500MB), none, or 0; empty is the default.</summary>
    public string? BlobCacheLimit { get; set; }

    /// <summary>SOURCE_DATE_EPOCH: seconds since 1970 for every timestamp in the image; empty means 1970-01-01.</summary>
    public string? SourceDateEpoch { get; set; }

    /// <summary>The publish folder that receives the OCI layout, the tar and modulus-image.json.</summary>
    [Required]
    public string PublishDirectory { get; set; } = string.Empty;

    /// <summary>The project's intermediate folder for Modulus, where the up-to-date fingerprint lives.</summary>
    [Required]
    public string IntermediateDirectory { get; set; } = string.Empty;

    // Debian packages (docs/debian.md): mapped by DebianMapping.

    /// <summary>ModulusDebianPackage items: Include = package name; metadata Version (a relation such as "&gt;= 4.2", or an exact version).</summary>
    public ITaskItem[] DebianPackages { get; set; } = [];

    /// <summary>ModulusDebianSuite: the suite or codename, default bookworm.</summary>
    public string? DebianSuite { get; set; }

    /// <summary>ModulusDebianComponents: ';'-separated archive components, default main.</summary>
    public string? DebianComponents { get; set; }

    /// <summary>ModulusDebianMirror: a mirror root URL; empty means MODULUS_DEBIAN_MIRROR, else the machine's apt configuration.</summary>
    public string? DebianMirror { get; set; }

    /// <summary>ModulusDebianKeyring: the OpenPGP keyring InRelease files are checked against; empty means the source's Signed-By, else Debian's archive keyring.</summary>
    public string? DebianKeyring { get; set; }

    /// <summary>ModulusDebianLockFile: the lock file that pins the resolved packages.</summary>
    public string? DebianLockFile { get; set; }

    /// <summary>ModulusDebianRefreshLock: true to resolve again and rewrite the lock file.</summary>
    public string? DebianRefreshLock { get; set; }

    /// <summary>ModulusDebianVerifySignatures: false skips the InRelease signature check, with a warning on every build.</summary>
    public string? DebianVerifySignatures { get; set; }

    /// <summary>ModulusDebianMinimalSystem: true or false to add or leave out Debian's required packages; empty means only on a base without dpkg.</summary>
    public string? DebianMinimalSystem { get; set; }

    /// <summary>ModulusDebianSlim: false leaves out Debian's slim path rules (default true: no documentation, manuals or translations).</summary>
    public string? DebianSlim { get; set; }

    /// <summary>ModulusDebianClearSetuid: true clears setuid and setgid bits of package files (the SDK's default for run images).</summary>
    public string? DebianClearSetuid { get; set; }

    /// <summary>ModulusDebianPathExclude items: Include = a dpkg path-exclude glob, such as /usr/share/doc/*.</summary>
    public ITaskItem[] DebianPathExcludes { get; set; } = [];

    /// <summary>ModulusDebianPathInclude items: Include = a dpkg path-include glob, such as /usr/share/doc/*/copyright.</summary>
    public ITaskItem[] DebianPathIncludes { get; set; } = [];

    /// <summary>The digest the image's tags name (also GeneratedContainerDigest): the manifest's, or of a multi-platform image the index's.</summary>
    [Output]
    public string ImageDigest { get; private set; } = string.Empty;

    /// <summary>The image index's digest of a multi-platform image; empty for one platform.</summary>
    [Output]
    public string IndexDigest { get; private set; } = string.Empty;

    /// <summary>The image config's digest, which is the image ID Docker shows.</summary>
    [Output]
    public string ImageConfigDigest { get; private set; } = string.Empty;

    /// <summary>The OCI image layout folder.</summary>
    [Output]
    public string LayoutPath { get; private set; } = string.Empty;

    /// <summary>The docker-loadable tar.</summary>
    [Output]
    public string ArchivePath { get; private set; } = string.Empty;

    /// <summary>The manifest digest the registry's tags name after a push; empty when ContainerRegistry is not set.</summary>
    [Output]
    public string PushedDigest { get; private set; } = string.Empty;

    /// <summary>registry/repository@digest of the pushed image; empty when ContainerRegistry is not set.</summary>
    [Output]
    public string PushedReference { get; private set; } = string.Empty;

    /// <summary>modulus-image.json, which describes what was published.</summary>
    [Output]
    public string ManifestPath { get; private set; } = string.Empty;

    /// <summary>image.html, the image report; empty when ModulusImageReport is false.</summary>
    [Output]
    public string ReportPagePath { get; private set; } = string.Empty;
}
