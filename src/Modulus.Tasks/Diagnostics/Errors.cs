namespace Modulus.Diagnostics;

/// <summary>
/// Every error Modulus reports, in one table. Ranges: 1xxx registries and daemons, 2xxx image and
/// layer formats, 3xxx Debian packages, 4xxx the run-image contract, 5xxx project input, 9xxx
/// internal. A code is never reused; docs/errors.md documents each one and a test keeps the two
/// in sync.
/// </summary>
public static class Errors
{
    // 15xx: the local Docker daemon.
    public static readonly ErrorCode DaemonUnreachable = new("MOD1501",
        "No Docker daemon answered at '{0}': {1}. Start dockerd, set DOCKER_HOST to its socket, or set ModulusLoadIntoDaemon to false.");
    public static readonly ErrorCode DaemonLoadFailed = new("MOD1502",
        "The Docker daemon at '{0}' refused to load image '{1}': {2}");

    // 20xx: references, digests and manifests.
    public static readonly ErrorCode InvalidReference = new("MOD2001",
        "'{0}' is not a valid image reference: {1}. Use [registry/]repository[:tag][@sha256:digest], all lower case, for example 'debian:bookworm'.");
    public static readonly ErrorCode InvalidDigest = new("MOD2002",
        "'{0}' is not a valid digest. A digest is 'sha256:' followed by 64 lower-case hex digits.");
    public static readonly ErrorCode DigestMismatch = new("MOD2003",
        "The content of {0} does not match its digest: expected {1}, got {2}. The file is corrupt or was changed; re-create it.");
    public static readonly ErrorCode UnsupportedMediaType = new("MOD2004",
        "{0} has media type '{1}', which Modulus does not support. Supported: OCI and Docker schema 2 manifests, indexes and gzip or uncompressed layers.");
    public static readonly ErrorCode PlatformNotFound = new("MOD2005",
        "{0} has no image for platform '{1}'. It offers: {2}. Set ContainerRuntimeIdentifier or ModulusPlatform to one of them.");
    public static readonly ErrorCode InvalidJson = new("MOD2006",
        "{0} is not a valid {1}: {2}");
    public static readonly ErrorCode InvalidPlatform = new("MOD2007",
        "'{0}' is not a valid platform. Write os/architecture[/variant], for example 'linux/amd64' or 'linux/arm64/v8'.");

    // 21xx: tar archives and layers.
    public static readonly ErrorCode TarEntryEscapesRoot = new("MOD2101",
        "Layer {0} has entry '{1}' whose path leaves the image root. The layer is hostile or broken; rebuild it from trusted input.");
    public static readonly ErrorCode TarLinkEscapesRoot = new("MOD2102",
        "Layer {0} has link '{1}' -> '{2}' that points outside the image root. The layer is hostile or broken; rebuild it from trusted input.");
    public static readonly ErrorCode TarTruncated = new("MOD2103",
        "Layer {0} ends inside entry '{1}': its header promises more bytes than the archive holds. The layer is truncated or its sizes lie.");
    public static readonly ErrorCode TarUnreadable = new("MOD2104",
        "Layer {0} is not a readable tar archive: {1}");
    public static readonly ErrorCode TarEntryUnsupported = new("MOD2105",
        "Layer {0} has entry '{1}' of type {2}, which an image layer may not hold.");
    public static readonly ErrorCode TarEntryTooLarge = new("MOD2106",
        "Layer {0} has entry '{1}' of {2} bytes, more than the limit of {3} bytes for a file Modulus must read.");
    public static readonly ErrorCode LayerEntryConflict = new("MOD2107",
        "'{0}' is declared twice in one layer with different content ({1} and {2}). Keep one declaration.");
    public static readonly ErrorCode HardLinkTargetMissing = new("MOD2108",
        "Hard link '{0}' points to '{1}', which is not a regular file declared in the same layer. Declare that file in this layer, or copy it instead of linking.");
    public static readonly ErrorCode SourceFileChanged = new("MOD2109",
        "'{0}' changed size while it was being written into a layer ({1} bytes declared, {2} read). Rebuild when nothing is writing to it.");
    public static readonly ErrorCode InvalidSymlinkTarget = new("MOD2110",
        "Symlink '{0}' has target '{1}', which is not valid: {2}. Give the path the link points to, without NUL characters.");

    // 22xx: where images live (layout directories, archives).
    public static readonly ErrorCode BaseImageNotFound = new("MOD2201",
        "The base image '{0}' does not exist. Check ModulusBaseImage.");
    public static readonly ErrorCode InvalidOciLayout = new("MOD2202",
        "'{0}' is not an OCI image layout: {1}");
    public static readonly ErrorCode TagNotInLayout = new("MOD2203",
        "The OCI layout '{0}' has no image tagged '{1}'. Tags present: {2}.");
    public static readonly ErrorCode InvalidDockerArchive = new("MOD2204",
        "'{0}' is not a docker-archive (the output of docker save): {1}");
    public static readonly ErrorCode AmbiguousArchive = new("MOD2205",
        "'{0}' holds {1} images; name one with '{2}:{0}:REPOSITORY:TAG' or keep one image in the archive.");
    public static readonly ErrorCode BlobMissing = new("MOD2206",
        "{0} refers to blob {1}, which is not in it. The image is incomplete; export it again.");
    public static readonly ErrorCode AmbiguousLayout = new("MOD2207",
        "The OCI layout '{0}' holds {1} images (tags: {2}); name one with '{3}:{0}:TAG'.");
    public static readonly ErrorCode LayerCountMismatch = new("MOD2208",
        "{0} has {1} layers but its config lists {2} diff_ids. The image is broken; export it again.");
    public static readonly ErrorCode TagNotInArchive = new("MOD2209",
        "The docker-archive '{0}' has no image tagged '{1}'. Tags present: {2}.");
    public static readonly ErrorCode ArchiveEntryTooLarge = new("MOD2210",
        "'{0}' in '{1}' is {2} bytes, more than the {3} bytes allowed for it. The archive is not an image export; export the image again.");
    public static readonly ErrorCode OutputWriteFailed = new("MOD2211",
        "Writing the image to '{0}' failed: {1}. Check that the folder is writable and the disk has space; the previous output is unchanged.");
    public static readonly ErrorCode OutputNotALayout = new("MOD2212",
        "'{0}' exists and is not an OCI image layout, so Modulus will not replace it. Choose a new folder or remove it.");

    // 31xx: npm packages and Node.js runtimes.
    public static readonly ErrorCode NpmRegistryNotConfigured = new("MOD3101",
        "No npm registry is configured: {0}. Set the ModulusNpmRegistry property, the MODULUS_NPM_REGISTRY or npm_config_registry environment variable, or a 'registry=' line in ~/.npmrc.");
    public static readonly ErrorCode NpmRegistryInvalid = new("MOD3102",
        "The npm registry '{0}' (from {1}) is not an http or https URL. Give the registry's base URL, as 'npm config get registry' prints it.");
    public static readonly ErrorCode NpmPackageNameInvalid = new("MOD3103",
        "'{0}' is not a valid npm package name. Write a name such as 'is-number' or '@scope/name', lower case.");
    public static readonly ErrorCode NpmVersionRangeInvalid = new("MOD3104",
        "'{0}' is not a valid version or version range: {1}. Write an exact version (1.2.3) or a range such as ^1.2.0, ~1.2, 1.x, >=1.2 <2 or 1.2.3 - 2.0.0.");
    public static readonly ErrorCode NpmPackageNotFound = new("MOD3105",
        "The npm registry {0} has no package '{1}'. Check the package name and the registry.");
    public static readonly ErrorCode NpmNoMatchingVersion = new("MOD3106",
        "Package '{0}' has no version matching '{1}'. Newest versions: {2}. Change the version or range.");
    public static readonly ErrorCode NpmRegistryFailed = new("MOD3107",
        "Fetching {0} from the npm registry failed: {1}. Check the registry URL and the network, then build again.");
    public static readonly ErrorCode NpmMetadataInvalid = new("MOD3108",
        "The npm registry's metadata for '{0}' is not usable: {1}. The registry or mirror is broken; try another.");
    public static readonly ErrorCode NpmIntegrityMismatch = new("MOD3109",
        "The tarball of {0} from {1} does not match the registry's integrity {2} (got {3}). It was refused and not cached; the registry, a mirror or a proxy altered it.");
    public static readonly ErrorCode NpmIntegrityMissing = new("MOD3110",
        "The registry gives no integrity hash or shasum for {0}, so its tarball cannot be verified. Use another version or registry.");
    public static readonly ErrorCode NpmTarballUnsafe = new("MOD3111",
        "The tarball of {0} has entry '{1}' that {2}. The package is hostile or broken and was refused; use another version.");
    public static readonly ErrorCode NodeRuntimeBinaryMissing = new("MOD3112",
        "{0} holds no bin/node, so it cannot be a Node.js runtime (old versions of the package ship a nested archive). Use a newer Node.js version.");
    public static readonly ErrorCode NpmNoCompatibleNpm = new("MOD3113",
        "No version of npm matching '{0}' supports Node.js {1} (by its engines.node). Give an NpmVersion that supports it.");
    public static readonly ErrorCode NpmDestinationMissing = new("MOD3114",
        "ModulusNpmPackage '{0}' has no Destination. Set Destination to the folder in the image that gets the package's files, for example /app/node_modules/{0}.");

    // 50xx: project input.
    public static readonly ErrorCode InvalidBaseImage = new("MOD5001",
        "ModulusBaseImage '{0}' is not understood. Use scratch, oci-layout:PATH[:TAG], oci-archive:PATH[:TAG] or docker-archive:PATH[:REPOSITORY:TAG].");
    public static readonly ErrorCode FileSourceMissing = new("MOD5002",
        "ModulusFile '{0}' does not exist. Fix the Include path, or remove the item.");
    public static readonly ErrorCode InvalidContainerPath = new("MOD5003",
        "{0} '{1}' is not a valid path in the image: {2}. Write an absolute path such as /opt/app/file.");
    public static readonly ErrorCode InvalidMode = new("MOD5004",
        "Mode '{0}' of '{1}' is not a valid octal permission. Write up to four octal digits, for example 0755 or 644.");
    public static readonly ErrorCode InvalidOwner = new("MOD5005",
        "Owner '{0}' of '{1}' is not valid: {2}. Write uid:gid (for example 0:0) or user:group names that exist in the image's /etc/passwd and /etc/group.");
    public static readonly ErrorCode DuplicateDestination = new("MOD5006",
        "'{0}' is declared more than once in the image ({1} and {2}). Give each a different Destination.");
    public static readonly ErrorCode InvalidPort = new("MOD5007",
        "ContainerPort '{0}' is not valid. Write a port number from 1 to 65535 and Type tcp or udp.");
    public static readonly ErrorCode InvalidEnvironmentVariable = new("MOD5008",
        "ContainerEnvironmentVariable '{0}' is not a valid variable name. Use letters, digits and underscores, not starting with a digit.");
    public static readonly ErrorCode InvalidSourceDateEpoch = new("MOD5009",
        "SOURCE_DATE_EPOCH '{0}' is not a number of seconds since 1970-01-01. Unset it or give a whole number such as 1700000000.");
    public static readonly ErrorCode InvalidRepository = new("MOD5010",
        "ContainerRepository '{0}' is not a valid repository name. Use lower-case letters, digits and separators (. _ - /), for example 'modulus/run-base'.");
    public static readonly ErrorCode InvalidTag = new("MOD5011",
        "Tag '{0}' is not valid. A tag is up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'.");
    public static readonly ErrorCode SymlinkTargetMissing = new("MOD5012",
        "ModulusSymlink '{0}' has no LinkTarget. Set the LinkTarget metadata to the path the link points to (MSBuild reserves the name Target).");
    public static readonly ErrorCode InvalidLabel = new("MOD5013",
        "ContainerLabel '{0}' has an empty name. Give each label a name.");
    public static readonly ErrorCode ContentAndFileBoth = new("MOD5014",
        "ModulusFile '{0}' sets Content and also names a file on disk. Use Content with an Include that is only the destination name, or drop Content.");
    public static readonly ErrorCode InvalidBoolean = new("MOD5015",
        "{0} '{1}' is not true or false.");
    public static readonly ErrorCode UnknownRuntimeIdentifier = new("MOD5016",
        "ContainerRuntimeIdentifier '{0}' names no Linux platform Modulus knows. Use linux-x64, linux-arm64, linux-arm, linux-s390x or linux-ppc64le, or set ModulusPlatform (for example linux/amd64).");
    public static readonly ErrorCode FileDestinationMissing = new("MOD5017",
        "ModulusFile '{0}' has no Destination. Set Destination to a folder in the image ending in '/' (the file keeps its name) or to the file's full path in the image.");
    public static readonly ErrorCode OutputUnwritable = new("MOD5018",
        "Could not write {0}: {1}. Check that the folder is writable and that no other program holds the file open.");

    // 9xxx: internal.
    public static readonly ErrorCode Internal = new("MOD9001",
        "Modulus failed unexpectedly: {0}. This is a bug in Modulus; please report it with the build log.");
}
