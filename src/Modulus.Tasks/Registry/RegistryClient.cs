using System.Net;
using System.Net.Http.Headers;
using Modulus.Diagnostics;
using Modulus.Oci;
using Modulus.Storage;

namespace Modulus.Registry;

/// <summary>A manifest or index, verified against its digest; <see cref="FromRegistry"/> when it came over the network.</summary>
internal sealed record FetchedManifest(byte[] Bytes, Digest Digest, bool FromRegistry);

/// <summary>The distribution API calls Modulus makes, on top of <see cref="RegistryTransport"/>.</summary>
internal sealed class RegistryClient(RegistryTransport transport)
{
    private static readonly string[] ManifestTypes = [MediaTypes.OciManifest, MediaTypes.DockerManifest, MediaTypes.OciIndex, MediaTypes.DockerManifestList];

    public RegistryTransport Transport => transport;

    public string Registry => transport.Registry;

    /// <summary>
    /// Registries refuse manifests larger than this (the distribution registry's own limit); it
    /// bounds a manifest no descriptor gives a size for (one asked for by tag).
    /// </summary>
    public const long MaxManifestSize = 4 << 20;

    /// <summary>
    /// GETs a manifest by tag or digest. By digest, the bytes must hash to it; by tag, to the
    /// Docker-Content-Digest the registry sent, if it sent one. The body is held to
    /// <paramref name="declaredSize"/> when an index declared one, else to <see cref="MaxManifestSize"/> (MOD1020).
    /// </summary>
    public Task<FetchedManifest> GetManifestAsync(ImageReference reference, string tagOrDigest, CancellationToken ct, long? declaredSize = null)
    {
        var what = $"Pulling the manifest of {reference.Name}:{tagOrDigest}";
        var request = new RegistryRequest(HttpMethod.Get, $"v2/{reference.Repository}/manifests/{tagOrDigest}", reference.Repository, Push: false, what)
        {
            Accept = ManifestTypes, StreamResponse = true,
        };
        return transport.RetryAsync(what, 0, async t =>
        {
            using var response = await transport.SendOnceAsync(request, t);
            if (response.StatusCode == HttpStatusCode.NotFound)
                throw new ModulusException(Errors.RegistryManifestNotFound, TagOrDigestOf(reference, tagOrDigest));
            await RegistryResponses.ExpectAsync(response, what, Registry, t);
            var bytes = await ReadManifestAsync(response, $"the manifest {TagOrDigestOf(reference, tagOrDigest)}", declaredSize, t);
            return Verified(reference, tagOrDigest, response, bytes);
        }, ct);
    }

    private async Task<byte[]> ReadManifestAsync(HttpResponseMessage response, string what, long? declaredSize, CancellationToken ct)
    {
        Exception Refuse(string held) => new ModulusException(Errors.RegistrySizeMismatch, Registry, held, what);
        var body = await response.Content.ReadAsStreamAsync(ct);
        await using var bounded = declaredSize is { } size ? BoundedReadStream.Exactly(body, size, Refuse) : BoundedReadStream.AtMost(body, MaxManifestSize, Refuse);
        using var buffer = new MemoryStream();
        await bounded.CopyToAsync(buffer, ct);
        return buffer.ToArray();
    }

    private FetchedManifest Verified(ImageReference reference, string tagOrDigest, HttpResponseMessage response, byte[] bytes)
    {
        var actual = Digest.Compute(bytes);
        var expected = Digest.TryParse(tagOrDigest, out var asked) ? asked
            : Digest.TryParse(HeaderOf(response, "Docker-Content-Digest"), out var announced) && announced.Algorithm == "sha256" ? announced
            : actual;
        if (actual != expected) throw new ModulusException(Errors.RegistryDigestMismatch, Registry, TagOrDigestOf(reference, tagOrDigest), actual, expected);
        return new FetchedManifest(bytes, actual, FromRegistry: true);
    }

    /// <summary>Downloads a blob into the store, verified; a broken transfer leaves nothing behind and is retried whole.</summary>
    public Task DownloadBlobAsync(string repository, Descriptor blob, BlobStore store, IProgress<TransferProgress>? progress, CancellationToken ct)
    {
        var what = $"Pulling blob {blob.Digest} of {Registry}/{repository}";
        return transport.RetryAsync(what, blob.Size, async t =>
        {
            using var response = await transport.SendOnceAsync(
                new RegistryRequest(HttpMethod.Get, $"v2/{repository}/blobs/{blob.Digest}", repository, Push: false, what) { StreamResponse = true }, t);
            if (response.StatusCode == HttpStatusCode.NotFound)
                throw new ModulusException(Errors.RegistryBlobNotFound, $"{Registry}/{repository}", blob.Digest);
            await RegistryResponses.ExpectAsync(response, what, Registry, t);
            var source = $"blob {blob.Digest} of {repository}";
            if (response.Content.Headers.ContentLength is { } announced && announced != blob.Size)
                throw new ModulusException(Errors.RegistrySizeMismatch, Registry,
                    FormattableString.Invariant($"a body of {announced} bytes, not the {blob.Size} declared"), source);
            var body = await response.Content.ReadAsStreamAsync(t);
            // The store reads synchronously; disposing the response is what interrupts a stalled read.
            using var abort = t.Register(response.Dispose);
            // Held to the declared size before the store keeps a byte: an endless body fails at byte Size + 1.
            var bounded = BoundedReadStream.Exactly(body, blob.Size, held => new ModulusException(Errors.RegistrySizeMismatch, Registry, held, source));
            using var counted = new ProgressStream(bounded, TransferDirection.Pull, blob.Digest, blob.Size, transport.Options, progress);
            try
            {
                store.Import(counted, blob.Digest, $"blob {blob.Digest} from {Registry}/{repository}");
            }
            catch (ModulusException e) when (e.Error == Errors.DigestMismatch)
            {
                throw new ModulusException(Errors.RegistryDigestMismatch, e, Registry, $"blob {blob.Digest} of {repository}", "another digest", blob.Digest);
            }
            return true;
        }, ct);
    }

    public async Task<bool> BlobExistsAsync(string repository, Digest digest, bool push, CancellationToken ct)
    {
        var what = $"Checking blob {digest} in {Registry}/{repository}";
        using var response = await transport.SendAsync(new RegistryRequest(HttpMethod.Head, $"v2/{repository}/blobs/{digest}", repository, push, what), ct);
        if (response.StatusCode == HttpStatusCode.NotFound) return false;
        await RegistryResponses.ExpectAsync(response, what, Registry, ct);
        return true;
    }

    /// <summary>PUTs a manifest under a tag (or its digest) and returns the digest the registry says it stored.</summary>
    public async Task<Digest> PutManifestAsync(string repository, string tagOrDigest, string mediaType, byte[] bytes, CancellationToken ct)
    {
        var what = $"Pushing the manifest of {Registry}/{repository}:{tagOrDigest}";
        using var response = await transport.SendAsync(new RegistryRequest(HttpMethod.Put, $"v2/{repository}/manifests/{tagOrDigest}", repository, Push: true, what)
        {
            Content = () => new ByteArrayContent(bytes) { Headers = { ContentType = new MediaTypeHeaderValue(mediaType) } },
        }, ct);
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnsupportedMediaType or HttpStatusCode.NotFound)
            throw new ModulusException(Errors.RegistryRejectedManifest, Registry, $"{repository}:{tagOrDigest}", await RegistryResponses.DescribeAsync(response, ct), mediaType);
        await RegistryResponses.ExpectAsync(response, what, Registry, ct, HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.Accepted);
        var expected = Digest.Compute(bytes);
        if (Digest.TryParse(HeaderOf(response, "Docker-Content-Digest"), out var stored) && stored.Algorithm == expected.Algorithm && stored != expected)
            throw new ModulusException(Errors.RegistryDigestMismatch, Registry, $"the manifest of {repository}:{tagOrDigest}", stored, expected);
        return expected;
    }

    internal static string? HeaderOf(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private string TagOrDigestOf(ImageReference reference, string tagOrDigest) =>
        tagOrDigest.Contains(':') ? $"{reference.Name}@{tagOrDigest}" : $"{reference.Name}:{tagOrDigest}";
}
