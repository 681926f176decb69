using System.Net;
using System.Net.Http.Headers;
using Modulus.Diagnostics;
using Modulus.Http;
using Modulus.Storage;

namespace Modulus.Npm;

/// <summary>
/// Reads package metadata and tarballs from an npm registry. A transient failure (see
/// <see cref="TransientFailure"/>) is tried again under <paramref name="retry"/>; a 404 is the
/// user's error at once. Every body is read no further than its limit (<see cref="NpmLimits"/>):
/// one byte past it is MOD1022, not tried again.
/// </summary>
public sealed class NpmRegistryClient(NpmRegistry registry, HttpClient http, RetryPolicy? retry = null)
{
    /// <summary>
    /// Three attempts from a quarter second: an install asks for many small files, so a registry
    /// that fails three times in a row is down rather than busy.
    /// </summary>
    public static RetryPolicy DefaultRetry { get; } = new() { MaxAttempts = 3, BaseDelay = TimeSpan.FromMilliseconds(250) };

    /// <summary>How long a request may take and how much it may send; shortened only by tests.</summary>
    internal NpmLimits Limits { get; init; } = NpmLimits.Default;

    private readonly RetryPolicy _retry = retry ?? DefaultRetry;

    public NpmRegistry Registry => registry;

    /// <summary>Counts requests sent, so a caller (and a test) can tell a warm install made none.</summary>
    public int RequestCount { get; private set; }

    public async Task<NpmPackument> GetPackumentAsync(string name, CancellationToken cancellationToken)
    {
        NpmPackageName.Validate(name);
        var url = registry.PackumentUrl(name);
        return await SendAsync(url, name, "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8", async (response, ct) =>
        {
            await using var body = Bounded(await response.Content.ReadAsStreamAsync(ct), Limits.MaxPackumentSize, $"the metadata of {name}", url,
                FormattableString.Invariant($"package metadata is read up to {Limits.MaxPackumentSize >> 20} MiB"));
            return NpmPackument.Parse(name, body);
        }, cancellationToken);
    }

    /// <summary>Streams a tarball into <paramref name="write"/>, which may run again on a retry (it must start over).</summary>
    public Task DownloadAsync(NpmVersionInfo version, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken) =>
        SendAsync(version.Tarball, $"{version.Name}@{version.Version}", "application/octet-stream", async (response, ct) =>
        {
            var declared = NpmLimits.DeclaredTarballLimit(version);
            var limit = declared ?? Limits.MaxTarballSize;
            var rule = declared is null
                ? FormattableString.Invariant($"a tarball whose metadata gives no dist.unpackedSize and dist.fileCount is read up to {Limits.MaxTarballSize >> 20} MiB")
                : FormattableString.Invariant($"its metadata says it unpacks to {version.UnpackedSize} bytes in {version.FileCount} files, which tar headers and gzip cannot grow past {limit} bytes");
            await using var body = Bounded(await response.Content.ReadAsStreamAsync(ct), limit, $"the tarball of {version.Name}@{version.Version}", version.Tarball, rule);
            await write(body, ct);
            return true;
        }, cancellationToken);

    private async Task<T> SendAsync<T>(Uri url, string what, string accept, Func<HttpResponseMessage, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        try
        {
            return await _retry.RunAsync($"Fetching {what} at {Redacted(url)}", async ct =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.Accept.ParseAdd(accept);
                request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Modulus", "1.0"));
                RequestCount++;
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                if (response.StatusCode == HttpStatusCode.NotFound)
                    throw new ModulusException(Errors.NpmPackageNotFound, registry.Url, what);
                if (response.IsSuccessStatusCode) return await read(response, ct);
                var answer = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
                if (TransientFailure.IsTransient(response.StatusCode)) throw TransientFailure.Of(response, answer, _retry.Time);
                throw new ModulusException(Errors.NpmRegistryFailed, what, $"{answer} from {url}");
            }, cancellationToken, Limits.AttemptTimeout, Limits.Deadline);
        }
        catch (TransientFailure failure)
        {
            // A time limit is told by the policy's own words, which say which limit and how long.
            var cause = failure.InnerException is null or OperationCanceledException ? failure : failure.InnerException;
            throw new ModulusException(Errors.NpmRegistryFailed, failure, what, $"{Describe(cause, url)}, after {failure.Attempts} attempts");
        }
        catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            // Final at the first attempt: a host name that does not resolve, a file that could not be written.
            throw new ModulusException(Errors.NpmRegistryFailed, e, what, Describe(e, url));
        }
    }

    private Stream Bounded(Stream body, long limit, string what, Uri url, string rule) =>
        BoundedReadStream.AtMost(body, limit, held => new ModulusException(Errors.NpmAnswerTooLarge, Redacted(registry.Url), held, what, Redacted(url), rule));

    private static string Describe(Exception e, Uri url) => e switch
    {
        TransientFailure answer => $"{answer.Reason} from {url}",
        OperationCanceledException => $"the request timed out ({url}): {e.Message}",
        _ => $"{e.Message} ({url})",
    };

    /// <summary>The URL without any user:password an .npmrc may put in it, for log lines.</summary>
    private static string Redacted(Uri url) => url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
}
