using System.Net;
using System.Net.Http.Headers;
using Modulus.Diagnostics;

namespace Modulus.Npm;

/// <summary>
/// Reads package metadata and tarballs from an npm registry. A server error or a dropped
/// connection is tried again, a bounded number of times; a 404 is the user's error at once.
/// </summary>
public sealed class NpmRegistryClient(NpmRegistry registry, HttpClient http)
{
    private const int Attempts = 3;
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(250);

    public NpmRegistry Registry => registry;

    /// <summary>Counts requests sent, so a caller (and a test) can tell a warm install made none.</summary>
    public int RequestCount { get; private set; }

    public async Task<NpmPackument> GetPackumentAsync(string name, CancellationToken cancellationToken)
    {
        NpmPackageName.Validate(name);
        var url = registry.PackumentUrl(name);
        return await SendAsync(url, name, "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8", async (response, ct) =>
        {
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            return NpmPackument.Parse(name, body);
        }, cancellationToken);
    }

    /// <summary>Streams a tarball into <paramref name="write"/>, which may run again on a retry (it must start over).</summary>
    public Task DownloadAsync(NpmVersionInfo version, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken) =>
        SendAsync(version.Tarball, $"{version.Name}@{version.Version}", "application/octet-stream", async (response, ct) =>
        {
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            await write(body, ct);
            return true;
        }, cancellationToken);

    private async Task<T> SendAsync<T>(Uri url, string what, string accept, Func<HttpResponseMessage, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            string failure;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.Accept.ParseAdd(accept);
                request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Modulus", "1.0"));
                RequestCount++;
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                if (response.StatusCode == HttpStatusCode.NotFound)
                    throw new ModulusException(Errors.NpmPackageNotFound, registry.Url, what);
                if (response.IsSuccessStatusCode) return await read(response, cancellationToken);
                failure = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase} from {url}";
                if ((int)response.StatusCode < 500 && response.StatusCode != HttpStatusCode.TooManyRequests)
                    throw new ModulusException(Errors.NpmRegistryFailed, what, failure);
            }
            catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
            {
                failure = $"{e.Message} ({url})";
            }
            catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                failure = $"the request timed out ({url}): {e.Message}";
            }
            if (attempt == Attempts) throw new ModulusException(Errors.NpmRegistryFailed, what, $"{failure}, after {Attempts} attempts");
            await Task.Delay(FirstDelay * (1 << (attempt - 1)), cancellationToken);
        }
    }
}
