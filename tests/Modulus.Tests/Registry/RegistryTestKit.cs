using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Oci;
using Modulus.Registry;
using Modulus.Storage;
using Modulus.Tests.TestSupport;

namespace Modulus.Tests.Registry;

/// <summary>Options and checks the registry tests share.</summary>
public sealed class RegistryTestKit : IDisposable
{
    private readonly TempDirectory _folder = new("registry-test");
    private readonly RecordingLog _log = new();

    /// <summary>The variables the library sees; the process environment is never consulted.</summary>
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    public string DockerConfigPath => _folder.Combine("docker", "config.json");

    /// <summary>The detail lines the library told: retries, fallbacks.</summary>
    public IReadOnlyList<string> Log => _log.Details;

    public BlobStore NewStore() => new(_folder.Combine("store-" + Guid.NewGuid().ToString("N")[..8]));

    /// <summary>Fast retries, short timeouts and no credentials unless a test adds them.</summary>
    public RegistryOptions Options => new()
    {
        Environment = name => Environment.GetValueOrDefault(name),
        DockerConfigPath = DockerConfigPath,
        MaxAttempts = 4,
        RetryBaseDelay = TimeSpan.FromMilliseconds(50),
        RetryMaxDelay = TimeSpan.FromSeconds(1),
        RequestTimeout = TimeSpan.FromSeconds(10),
        Log = _log,
    };

    /// <summary>A Docker config with a base64 user:password entry for <paramref name="registry"/>.</summary>
    public void LogIn(string registry, string user, string password)
    {
        var auth = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{user}:{password}"));
        Directory.CreateDirectory(Path.GetDirectoryName(DockerConfigPath)!);
        var config = new Dictionary<string, object> { ["auths"] = new Dictionary<string, object> { [registry] = new Dictionary<string, string> { ["auth"] = auth } } };
        File.WriteAllText(DockerConfigPath, System.Text.Json.JsonSerializer.Serialize(config));
    }

    public static async Task<ModulusException> FailsWith(ErrorCode error, Func<Task> action)
    {
        var e = await Should.ThrowAsync<ModulusException>(action);
        e.Code.ShouldBe(error.Code, e.Message);
        return e;
    }

    public static void ShouldBeTheSameImage(Image pulled, Image pushed)
    {
        pulled.ConfigDigest.ShouldBe(pushed.ConfigDigest);
        pulled.Layers.Select(l => l.Digest).ShouldBe(pushed.Layers.Select(l => l.Digest));
        pulled.Layers.Select(l => l.DiffId).ShouldBe(pushed.Layers.Select(l => l.DiffId));
        pulled.ManifestDigest.ShouldBe(pushed.ManifestDigest);
    }

    /// <summary>Files a failed transfer could have left behind in a store.</summary>
    public static IReadOnlyList<string> PartialFiles(BlobStore store) =>
        Directory.Exists(store.Root)
            ? Directory.EnumerateFiles(store.Root, "*", SearchOption.AllDirectories).Where(f => f.EndsWith(".partial", StringComparison.Ordinal) || f.EndsWith(".tmp", StringComparison.Ordinal)).ToArray()
            : [];

    public static ImageReference Reference(string registry, string repository, string? tag = "latest") =>
        ImageReference.Parse($"{registry}/{repository}" + (tag is null ? string.Empty : ":" + tag));

    public void Dispose() => _folder.Dispose();
}

/// <summary>Collects progress synchronously (Progress&lt;T&gt; would post to the thread pool).</summary>
public sealed class ProgressLog : IProgress<TransferProgress>
{
    private readonly List<TransferProgress> _reports = [];

    public IReadOnlyList<TransferProgress> Reports
    {
        get { lock (_reports) return _reports.ToArray(); }
    }

    public void Report(TransferProgress value)
    {
        lock (_reports) _reports.Add(value);
    }
}
