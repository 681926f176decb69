using System.Net;
using System.Net.Http.Headers;
using Modulus.Diagnostics;
using Modulus.Oci;

namespace Modulus.Registry;

/// <summary>
/// Puts one blob into a repository: a cross-repository mount when a source is known, else an
/// upload (monolithic POST + PUT, or chunked PATCHes). Every attempt opens a new upload session,
/// so a failure never leaves a half-written session to be continued.
/// </summary>
internal sealed class BlobUploader(RegistryClient client)
{
    private RegistryTransport Transport => client.Transport;

    private string Registry => client.Registry;

    /// <summary>True when the registry mounted the blob from <paramref name="source"/>.</summary>
    public async Task<bool> TryMountAsync(string repository, Digest digest, string source, CancellationToken ct)
    {
        var what = $"Mounting blob {digest} from {source} into {Registry}/{repository}";
        using var response = await Transport.SendAsync(new RegistryRequest(
            HttpMethod.Post, $"v2/{repository}/blobs/uploads/?mount={digest}&from={Uri.EscapeDataString(source)}", repository, Push: true, what)
        {
            AlsoPulls = [source],
            Content = () => new ByteArrayContent([]),
        }, ct);
        if (response.StatusCode == HttpStatusCode.Created) return true;
        // 202: the registry could not mount and opened an upload session instead; it expires unused.
        await RegistryResponses.ExpectAsync(response, what, Registry, ct, HttpStatusCode.Accepted);
        return false;
    }

    public Task UploadAsync(string repository, Descriptor blob, Func<Stream> open, IProgress<TransferProgress>? progress, CancellationToken ct)
    {
        var mode = Transport.Options.UploadMode;
        var what = $"Pushing blob {blob.Digest} to {Registry}/{repository}";
        return Transport.RetryAsync(what, blob.Size, async t =>
        {
            var location = await StartAsync(repository, what, t);
            if (mode == UploadMode.Chunked) return await PutChunksAsync(repository, blob, location, open, progress, what, t);
            var done = await PutWholeAsync(repository, blob, location, open, progress, what, t);
            if (done || mode == UploadMode.Monolithic) return done;
            Transport.Options.Log?.Detail($"{Registry} refused {blob.Digest} in one request (413); uploading it in chunks of {TransferProgress.Bytes(Transport.Options.ChunkSize)}.");
            return await PutChunksAsync(repository, blob, await StartAsync(repository, what, t), open, progress, what, t);
        }, ct);
    }

    private async Task<Uri> StartAsync(string repository, string what, CancellationToken ct)
    {
        using var response = await Transport.SendOnceAsync(new RegistryRequest(HttpMethod.Post, $"v2/{repository}/blobs/uploads/", repository, Push: true, what)
        {
            Content = () => new ByteArrayContent([]),
        }, ct);
        await ExpectAsync(response, repository, null, ct, HttpStatusCode.Accepted);
        return LocationOf(response);
    }

    /// <summary>False when the registry refused the body as too large (413), so chunks may work.</summary>
    private async Task<bool> PutWholeAsync(string repository, Descriptor blob, Uri location, Func<Stream> open, IProgress<TransferProgress>? progress, string what, CancellationToken ct)
    {
        using var response = await Transport.SendOnceAsync(new RegistryRequest(HttpMethod.Put, WithDigest(location, blob.Digest), repository, Push: true, what)
        {
            TransferBytes = blob.Size,
            Content = () => BlobContent(new ProgressStream(open(), TransferDirection.Push, blob.Digest, blob.Size, Transport.Options, progress), blob.Size),
        }, ct);
        if (response.StatusCode == HttpStatusCode.RequestEntityTooLarge) return false;
        await ExpectAsync(response, repository, blob.Digest, ct, HttpStatusCode.Created);
        return true;
    }

    private async Task<bool> PutChunksAsync(string repository, Descriptor blob, Uri location, Func<Stream> open, IProgress<TransferProgress>? progress, string what, CancellationToken ct)
    {
        var chunkSize = (int)Math.Clamp(Transport.Options.ChunkSize, 1, int.MaxValue / 2);
        var buffer = new byte[Math.Min(chunkSize, Math.Max(blob.Size, 1))];
        await using var source = new ProgressStream(open(), TransferDirection.Push, blob.Digest, blob.Size, Transport.Options, progress);
        long offset = 0;
        int length;
        while ((length = await source.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct)) > 0)
        {
            var start = offset;
            var chunk = buffer[..length];
            using var response = await Transport.SendOnceAsync(new RegistryRequest(HttpMethod.Patch, location.ToString(), repository, Push: true, what)
            {
                TransferBytes = length,
                Content = () =>
                {
                    var content = BlobContent(new MemoryStream(chunk, writable: false), chunk.Length);
                    // The distribution spec's range has no "bytes " unit, which the typed header would insist on.
                    content.Headers.TryAddWithoutValidation("Content-Range", $"{start}-{start + chunk.Length - 1}");
                    return content;
                },
            }, ct);
            await ExpectAsync(response, repository, blob.Digest, ct, HttpStatusCode.Accepted, HttpStatusCode.NoContent);
            location = LocationOf(response, location);
            offset += length;
        }
        using var close = await Transport.SendOnceAsync(new RegistryRequest(HttpMethod.Put, WithDigest(location, blob.Digest), repository, Push: true, what)
        {
            Content = () => new ByteArrayContent([]),
        }, ct);
        await ExpectAsync(close, repository, blob.Digest, ct, HttpStatusCode.Created);
        return true;
    }

    private static StreamContent BlobContent(Stream stream, long length)
    {
        var content = new StreamContent(stream, 1 << 16);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.ContentLength = length;
        return content;
    }

    /// <summary>A 4xx other than 401/403 during an upload is the registry refusing this blob: no retry helps.</summary>
    private async Task ExpectAsync(HttpResponseMessage response, string repository, Digest? digest, CancellationToken ct, params HttpStatusCode[] expected)
    {
        if (expected.Contains(response.StatusCode)) return;
        var description = await RegistryResponses.DescribeAsync(response, ct);
        if ((int)response.StatusCode is >= 400 and < 500)
            throw new ModulusException(Errors.RegistryRejectedBlob, Registry, digest?.ToString() ?? "upload", repository, description);
        throw new ModulusException(Errors.RegistryRequestFailed, $"Uploading to {repository}", Registry, description);
    }

    private Uri LocationOf(HttpResponseMessage response, Uri? current = null)
    {
        var location = response.Headers.Location;
        if (location is null)
        {
            if (current is not null) return current;
            throw new ModulusException(Errors.RegistryRequestFailed, "Starting an upload", Registry, "an answer without a Location header");
        }
        return location.IsAbsoluteUri ? location : new Uri(response.RequestMessage!.RequestUri!, location);
    }

    private static string WithDigest(Uri location, Digest digest) =>
        location + (location.Query.Length > 0 ? "&" : "?") + "digest=" + Uri.EscapeDataString(digest.ToString());
}
