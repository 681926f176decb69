using System.IO.Compression;
using System.Net;
using System.Text;
using Modulus.Diagnostics;
using Modulus.Http;
using Modulus.Oci;
using Modulus.Storage;
using SharpCompress.Compressors.Xz;

namespace Modulus.Debian;

/// <summary>
/// Fetches from Debian mirrors into the blob store. Package indexes and .debs are stored by the
/// SHA256 a signed Release (or a verified index, or a lock file) gives for them, so a file
/// already in the store is never fetched again, and a file whose bytes do not match is refused
/// before it reaches the store. Only InRelease, which has no known hash, is always fetched.
/// </summary>
public sealed class DebianDownloader(HttpClient http, BlobStore store)
{
    /// <summary>
    /// Three attempts from a second: a mirror is a plain file server, so one that fails three
    /// times is down, and the installer has the suite's other apt sources to try.
    /// </summary>
    public static RetryPolicy DefaultRetry { get; } = new() { MaxAttempts = 3, BaseDelay = TimeSpan.FromSeconds(1) };

    /// <summary>Told the size of each piece of a download as it arrives, for progress lines.</summary>
    public IProgress<long>? Received { get; init; }

    /// <summary>How failed requests are tried again, and where a retry is told.</summary>
    public RetryPolicy Retry { get; init; } = DefaultRetry;

    /// <summary>How long a mirror may take and how much it may send; shortened only by tests.</summary>
    internal DebianLimits Limits { get; init; } = DebianLimits.Default;

    /// <summary>The verified (or, with verification off, merely extracted) Release text of a suite.</summary>
    public async Task<ReleaseFile> FetchReleaseAsync(DebianSource source, InReleaseVerifier? verifier, CancellationToken cancellationToken)
    {
        var uri = $"{source.BaseUri}/dists/{source.Suite}/InRelease";
        var text = Encoding.UTF8.GetString(await GetBytesAsync(uri, cancellationToken));
        var release = ReleaseFile.Parse(verifier is null ? InReleaseVerifier.ExtractUnverified(text, uri) : verifier.Verify(text, uri));
        // A genuine signature on another suite's Release (an older one, say) must not pass, as apt checks.
        if (release.Suite != source.Suite && release.Codename != source.Suite)
            throw new ModulusException(Errors.DebianReleaseForOtherSuite, uri, release.Suite, release.Codename, source.Suite);
        // Only a signed Valid-Until means anything; an expired one is how a replayed Release shows.
        if (verifier is not null && release.ValidUntil is { } until && until < DateTimeOffset.UtcNow)
            throw new ModulusException(Errors.DebianReleaseExpired, uri, release.Control["Valid-Until"]);
        return release;
    }

    /// <summary>The packages of one component and architecture of a suite, checked against the Release's SHA256.</summary>
    public async Task<IReadOnlyList<DebianPackage>> FetchPackagesAsync(
        DebianSource source, ReleaseFile release, string component, string architecture, CancellationToken cancellationToken)
    {
        var folder = $"{component}/binary-{architecture}/Packages";
        var entry = new[] { ".xz", ".gz", "" }.Select(e => release.Files.GetValueOrDefault(folder + e)).FirstOrDefault(e => e is not null)
            ?? throw new ModulusException(Errors.DebianIndexMissing, $"{source.BaseUri} {source.Suite}", folder,
                string.Join(' ', release.Components), string.Join(' ', release.Architectures));
        // By hash when the archive offers it: a mirror that updates between our InRelease and
        // index downloads still serves the index the signed Release names.
        var byHash = string.Equals(release.Control["Acquire-By-Hash"], "yes", StringComparison.OrdinalIgnoreCase);
        var uri = byHash
            ? $"{source.BaseUri}/dists/{source.Suite}/{entry.Path[..(entry.Path.LastIndexOf('/') + 1)]}by-hash/SHA256/{entry.Sha256}"
            : $"{source.BaseUri}/dists/{source.Suite}/{entry.Path}";
        var blob = (await FetchVerifiedAsync(uri, entry.Sha256, entry.Size, Errors.DebianIndexHashMismatch, cancellationToken, missingIsNull: false))!;
        var text = await File.ReadAllTextAsync(Decompressed(blob, entry), Encoding.UTF8, cancellationToken);
        // A stanza without a Filename or a valid SHA256 cannot be fetched or checked, so it cannot be installed.
        return DebianPackage.ParseIndex(text, new IndexOrigin(source.BaseUri, source.Suite, component, release.Date))
            .Where(p => !string.IsNullOrEmpty(p.Filename) && DebianPackage.IsSha256(p.Sha256))
            .ToList();
    }

    /// <summary>
    /// The plain text of a stored index, kept beside the store under the compressed blob's hash:
    /// decompressing a full xz index takes seconds, reading the plain copy a fraction of one.
    /// </summary>
    private string Decompressed(string blob, ReleaseEntry entry)
    {
        if (!entry.Path.EndsWith(".xz", StringComparison.Ordinal) && !entry.Path.EndsWith(".gz", StringComparison.Ordinal)) return blob;
        var plain = Path.Combine(store.Root, "debian", "indexes", entry.Sha256);
        if (File.Exists(plain))
        {
            CacheUse.TouchFile(plain);
            return plain;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(plain)!);
        var temp = plain + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            using (var file = File.OpenRead(blob))
            using (var decompressed = entry.Path.EndsWith(".xz", StringComparison.Ordinal) ? new XZStream(file) : (Stream)new GZipStream(file, CompressionMode.Decompress))
            using (var output = File.Create(temp))
                decompressed.CopyTo(output);
            File.Move(temp, plain, overwrite: true);
            return plain;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>
    /// The path of a .deb in the store, fetched from <paramref name="mirror"/> only when missing;
    /// null when the mirror answers 404, as it does for a version superseded since it was locked.
    /// <paramref name="size"/> is the index's Size field: the download is held to it (0: not known).
    /// </summary>
    public Task<string?> FetchDebAsync(string mirror, string filename, string sha256, CancellationToken cancellationToken, long size = 0) =>
        FetchVerifiedAsync($"{mirror.TrimEnd('/')}/{filename}", sha256, size, Errors.DebianPackageHashMismatch, cancellationToken, missingIsNull: true);

    /// <summary>
    /// The file a signed index names, streamed into the store; a broken download starts over from
    /// its first byte. One byte past the <paramref name="size"/> the index gives, or a body that
    /// ends short of it, is <paramref name="mismatch"/> at once, before the store keeps anything.
    /// </summary>
    private async Task<string?> FetchVerifiedAsync(string uri, string sha256, long size, ErrorCode mismatch, CancellationToken cancellationToken, bool missingIsNull)
    {
        var digest = Digest.Parse("sha256:" + sha256);
        if (store.Contains(digest)) return store.PathOf(digest);
        return await GetAsync(uri, missingIsNull, size, async (response, ct) =>
        {
            // Hashed on its way into the store, which keeps nothing that does not match.
            var stream = await response.Content.ReadAsStreamAsync(ct);
            // A size other than the index's is as much a mismatch as another hash, and is its error.
            if (size > 0) stream = BoundedReadStream.Exactly(stream, size, held => new ModulusException(mismatch, uri, digest, $"a body of {held}"));
            await using var body = Received is null ? stream : new ProgressReadStream(stream, Received);
            return store.Import(body, digest, uri, mismatch);
        }, cancellationToken);
    }

    private async Task<byte[]> GetBytesAsync(string uri, CancellationToken cancellationToken) =>
        (await GetAsync(uri, missingIsNull: false, 0, async (response, ct) =>
        {
            await using var body = BoundedReadStream.AtMost(await response.Content.ReadAsStreamAsync(ct), Limits.MaxReleaseSize,
                held => new ModulusException(Errors.DebianFetchFailed, uri, $"the mirror sent {held}"));
            using var buffer = new MemoryStream();
            await body.CopyToAsync(buffer, ct);
            return buffer.ToArray();
        }, cancellationToken))!;

    /// <summary>
    /// A GET whose answer <paramref name="read"/> takes in, tried again under <see cref="Retry"/>
    /// when the mirror is briefly unavailable; any other failure is final at once, and a 404 is
    /// null when <paramref name="missingIsNull"/> says the caller has somewhere else to look.
    /// Each attempt, and all of them, are bounded in time by <see cref="Limits"/>, lengthened for
    /// the <paramref name="size"/> expected.
    /// </summary>
    private async Task<T?> GetAsync<T>(string uri, bool missingIsNull, long size, Func<HttpResponseMessage, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
        where T : class
    {
        var transfer = Limits.TransferTime(size);
        try
        {
            return await Retry.RunAsync($"Fetching {Redacted(uri)}", async ct =>
            {
                using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, ct);
                if (response.IsSuccessStatusCode) return await read(response, ct);
                if (response.StatusCode == HttpStatusCode.NotFound && missingIsNull) return null;
                var answer = $"the mirror answered {(int)response.StatusCode} {response.ReasonPhrase}";
                if (TransientFailure.IsTransient(response.StatusCode)) throw TransientFailure.Of(response, answer, Retry.Time);
                throw new ModulusException(Errors.DebianFetchFailed, uri, answer);
            }, cancellationToken, Limits.AttemptTimeout + transfer, Limits.Deadline + transfer);
        }
        catch (TransientFailure failure)
        {
            throw failure.InnerException is HttpRequestException or IOException
                ? new ModulusException(Errors.DebianFetchFailed, failure.InnerException, uri, failure.InnerException.Message)
                : new ModulusException(Errors.DebianFetchFailed, failure, uri, failure.Reason);
        }
        catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            throw new ModulusException(Errors.DebianFetchFailed, e, uri, e.Message);
        }
    }

    /// <summary>The address without any user:password a sources entry may hold, for log lines.</summary>
    private static string Redacted(string uri) =>
        Uri.TryCreate(uri, UriKind.Absolute, out var parsed) ? parsed.GetComponents(UriComponents.SchemeAndServer | UriComponents.PathAndQuery, UriFormat.UriEscaped) : uri;
}
