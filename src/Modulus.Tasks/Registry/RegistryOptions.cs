using System.Net;
using Modulus.Diagnostics;
using Modulus.Http;

namespace Modulus.Registry;

/// <summary>How blobs are uploaded.</summary>
public enum UploadMode
{
    /// <summary>One PUT with the whole blob; chunked when the registry refuses a body that large (413).</summary>
    Auto,

    /// <summary>One PUT with the whole blob.</summary>
    Monolithic,

    /// <summary>PATCH requests of <see cref="RegistryOptions.ChunkSize"/> bytes, then an empty PUT.</summary>
    Chunked,
}

/// <summary>
/// Settings for talking to registries. Every field has a default that suits a build machine; the
/// environment (credentials, insecure registries) is read through <see cref="Environment"/> so
/// that callers and tests can supply their own.
/// </summary>
public sealed record RegistryOptions
{
    public static RegistryOptions Default { get; } = new();

    /// <summary>Reads an environment variable; the process environment unless replaced.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>
    /// The Docker config file. Null means <c>$DOCKER_CONFIG/config.json</c>, else
    /// <c>~/.docker/config.json</c>.
    /// </summary>
    public string? DockerConfigPath { get; init; }

    /// <summary>Registries (host[:port]) that may be reached over plain HTTP or with an unverified certificate, besides loopback ones.</summary>
    public IReadOnlyList<string> InsecureRegistries { get; init; } = [];

    /// <summary>
    /// Docker's folder of per-registry CA certificates: <c>HOST[:PORT]/*.crt</c> below it are
    /// trusted for that registry besides the system's authorities. Moved only by tests.
    /// </summary>
    internal string DockerCertsDirectory { get; init; } = "/etc/docker/certs.d";

    /// <summary>
    /// Host names connected to at these addresses instead of what DNS says; empty outside tests,
    /// which reach a loopback server under a name that is not loopback (and so not insecure).
    /// </summary>
    internal IReadOnlyDictionary<string, IPAddress> HostAddresses { get; init; } = new Dictionary<string, IPAddress>();

    public UploadMode UploadMode { get; init; } = UploadMode.Auto;

    public long ChunkSize { get; init; } = 8L << 20;

    /// <summary>How many blobs move at once.</summary>
    public int MaxParallelTransfers { get; init; } = 3;

    /// <summary>Attempts per request (or per whole blob upload) before giving up; 1 disables retries.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>The first retry delay; each further retry doubles it, plus up to 50% random jitter.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between attempts, also the cap on a registry's Retry-After.</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The time allowed for a request that moves no blob; a blob transfer adds its size at <see cref="MinimumBytesPerSecond"/>.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public long MinimumBytesPerSecond { get; init; } = 100 * 1024;

    /// <summary>
    /// The longest one request may take, all its attempts and the waits between them included; a
    /// blob transfer adds its size at <see cref="MinimumBytesPerSecond"/>. When it passes, the
    /// attempt under way is abandoned and the request fails.
    /// </summary>
    public TimeSpan RequestDeadline { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// How long a tag resolved to a digest is trusted before the registry is asked again. While
    /// the record is fresh and the image is in the blob store, a pull needs no network. A digest
    /// reference never needs the network once its blobs are stored.
    /// </summary>
    public TimeSpan TagTimeToLive { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Ask the registry for every tag, however fresh its record.</summary>
    public bool RefreshTags { get; init; }

    /// <summary>Blobs at least this large report progress while they move.</summary>
    public long ProgressThreshold { get; init; } = 1 << 20;

    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Told one detail line per notable event (a retry, a fallback). Never given a secret.</summary>
    public IBuildLog? Log { get; init; }

    /// <summary>The time source for tag records, rates and the waits between retries.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The retry policy these settings describe, logging its retries to <see cref="Log"/>.</summary>
    internal RetryPolicy Retry() => new()
    {
        MaxAttempts = MaxAttempts,
        BaseDelay = RetryBaseDelay,
        MaxDelay = RetryMaxDelay,
        Time = Time,
        Log = Log,
    };

    /// <summary>The timeout for one attempt at a request that moves <paramref name="bytes"/> of blob.</summary>
    internal TimeSpan TimeoutFor(long bytes) => RequestTimeout + TransferTime(bytes);

    /// <summary>The deadline for all attempts at a request that moves <paramref name="bytes"/> of blob.</summary>
    internal TimeSpan DeadlineFor(long bytes) => RequestDeadline + TransferTime(bytes);

    private TimeSpan TransferTime(long bytes) => TimeSpan.FromSeconds((double)bytes / Math.Max(1, MinimumBytesPerSecond));
}
