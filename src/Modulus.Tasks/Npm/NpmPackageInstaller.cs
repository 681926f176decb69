using Modulus.Diagnostics;
using Modulus.Layers;
using Modulus.Oci;

namespace Modulus.Npm;

/// <summary>A package to install: <see cref="Version"/> is an exact version or a range; files go under <see cref="Destination"/>.</summary>
public sealed record NpmPackageRequest(string Name, string Version, UnixPath Destination);

/// <summary>
/// How to reach packages. <see cref="Registry"/> is the explicit registry URL (the
/// ModulusNpmRegistry property), null to find it as npm would; <see cref="CacheRoot"/> is the
/// blob cache shared with image builds. <see cref="Handler"/> and <see cref="RegistrySources"/>
/// replace the network and the machine's npm configuration in tests.
/// </summary>
public sealed record NpmOptions(string CacheRoot, string? Registry = null)
{
    public HttpMessageHandler? Handler { get; init; }

    public NpmRegistryLocator.Sources? RegistrySources { get; init; }

    /// <summary>How long the registry may take and how much it may send; shortened only by tests.</summary>
    internal NpmLimits Limits { get; init; } = NpmLimits.Default;
}

/// <summary>A package installed: the version chosen and the layer entries of its files.</summary>
public sealed record NpmInstallResult(string Name, SemVersion Version, IReadOnlyList<LayerEntry> Entries);

/// <summary>
/// Installs npm packages as layer entries. An exact version already in the cache is installed
/// without finding or asking the registry; otherwise the registry's metadata picks the highest
/// matching version and its tarball is downloaded, verified and cached. Metadata is fetched once
/// per package per installer.
/// </summary>
public sealed class NpmPackageInstaller(NpmOptions options, IBuildLog log) : IDisposable
{
    private readonly NpmCache _cache = new(options.CacheRoot);
    private readonly Dictionary<string, NpmPackument> _packuments = new(StringComparer.Ordinal);
    private NpmRegistryClient? _client;
    private HttpClient? _http;

    /// <summary>Requests sent to the registry so far.</summary>
    public int RequestCount => _client?.RequestCount ?? 0;

    public static async Task<NpmInstallResult> InstallAsync(NpmPackageRequest request, NpmOptions options, IBuildLog log, CancellationToken cancellationToken)
    {
        using var installer = new NpmPackageInstaller(options, log);
        return await installer.InstallAsync(request, cancellationToken);
    }

    public async Task<NpmInstallResult> InstallAsync(NpmPackageRequest request, CancellationToken cancellationToken)
    {
        var (version, digest) = await ResolveAsync(request.Name, request.Version, null, cancellationToken);
        return new NpmInstallResult(request.Name, version, Entries(request.Name, version, digest, request.Destination));
    }

    /// <summary>
    /// The version to install and its verified tarball. <paramref name="accept"/>, when given,
    /// further filters candidate versions (npm's engines check, for example).
    /// </summary>
    internal async Task<(SemVersion Version, Digest Tarball)> ResolveAsync(string name, string versionOrRange, Func<NpmVersionInfo, bool>? accept, CancellationToken cancellationToken)
    {
        NpmPackageName.Validate(name);
        if (SemVersion.TryParse(versionOrRange, out var exact) && _cache.Find(name, exact) is { } cached)
        {
            log.Detail($"npm package {name}@{exact} is cached");
            return (exact, cached);
        }
        var range = SemVerRange.Parse(versionOrRange);
        var packument = await PackumentAsync(name, cancellationToken);
        var info = accept is null ? packument.Resolve(range) : packument.Resolve(range, accept);
        if (_cache.Find(name, info.Version) is { } known) return (info.Version, known);
        // A Node.js runtime is tens of megabytes: its bytes are told as they arrive.
        var download = new ActivityProgress(log, $"Downloading npm package {name}@{info.Version}");
        var digest = await _cache.DownloadAsync(Client(), info, log, cancellationToken, download);
        download.End();
        return (info.Version, digest);
    }

    internal async Task<NpmPackument> PackumentAsync(string name, CancellationToken cancellationToken)
    {
        if (!_packuments.TryGetValue(name, out var packument))
        {
            // Without any user:password an .npmrc may put in the URL: the log never shows a credential.
            log.Detail($"Reading npm metadata of {name} from {Client().Registry.Url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped)}");
            packument = await Client().GetPackumentAsync(name, cancellationToken);
            _packuments[name] = packument;
        }
        return packument;
    }

    internal IReadOnlyList<LayerEntry> Entries(string name, SemVersion version, Digest tarball, UnixPath destination) =>
        NpmTarball.Entries(_cache.BlobPath(tarball), tarball, _cache.ExtractedFolder(tarball), $"{name}@{version}", destination);

    private NpmRegistryClient Client()
    {
        if (_client is null)
        {
            var registry = NpmRegistryLocator.Locate(options.Registry, options.RegistrySources);
            _http = options.Handler is null ? new HttpClient() : new HttpClient(options.Handler, disposeHandler: false);
            _http.Timeout = options.Limits.AttemptTimeout; // No attempt outlasts its own limit, headers included.
            _client = new NpmRegistryClient(registry, _http, NpmRegistryClient.DefaultRetry with { Log = log }) { Limits = options.Limits };
        }
        return _client;
    }

    public void Dispose() => _http?.Dispose();
}
