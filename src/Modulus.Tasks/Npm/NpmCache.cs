using System.Security.Cryptography;
using Modulus.Diagnostics;
using Modulus.Oci;
using Modulus.Storage;

namespace Modulus.Npm;

/// <summary>
/// Verified npm tarballs in the shared blob store, by the sha256 computed after the registry's
/// integrity hash matched, with an index from name@version to that digest (ROOT/npm/index) so an
/// exact version is found without asking the registry, and one extracted copy of each tarball
/// (ROOT/npm/extracted/HEX) whose files become layer bodies.
/// </summary>
public sealed class NpmCache(string root)
{
    private readonly BlobStore _store = new(root);

    public string Root => _store.Root;

    public string BlobPath(Digest digest) => _store.PathOf(digest);

    public string ExtractedFolder(Digest digest) => Path.Combine(Root, "npm", "extracted", digest.Encoded);

    /// <summary>The digest of a verified tarball of name@version, when it is still in the store.</summary>
    public Digest? Find(string name, SemVersion version)
    {
        var index = IndexPath(name, version);
        if (!File.Exists(index) || !Digest.TryParse(File.ReadAllText(index).Trim(), out var digest)) return null;
        if (!_store.Contains(digest)) return null;
        CacheUse.TouchFile(index);
        return digest;
    }

    /// <summary>
    /// Downloads a tarball, verifies it against the registry's integrity and only then stores and
    /// indexes it. A mismatch leaves nothing behind; a weak (sha1) check is reported to
    /// <paramref name="log"/> as a warning. <paramref name="received"/>, when given, is
    /// told the size of each piece as it arrives.
    /// </summary>
    public async Task<Digest> DownloadAsync(NpmRegistryClient client, NpmVersionInfo version, IBuildLog log, CancellationToken cancellationToken,
        IProgress<long>? received = null)
    {
        var id = $"{version.Name}@{version.Version}";
        var integrity = NpmIntegrity.From(version) ?? throw new ModulusException(Errors.NpmIntegrityMissing, id);
        if (integrity.IsLegacySha1) log.Warn(Errors.NpmWeakIntegrity, SourceLocation.Unknown, id);
        var temp = Path.Combine(Root, "npm", "." + Guid.NewGuid().ToString("N") + ".partial");
        Directory.CreateDirectory(Path.GetDirectoryName(temp)!);
        try
        {
            byte[] actual = [];
            Digest digest = default;
            await client.DownloadAsync(version, async (body, ct) =>
            {
                await using var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
                using var check = integrity.CreateHash();
                using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buffer = new byte[1 << 16];
                int read;
                while ((read = await body.ReadAsync(buffer, ct)) > 0)
                {
                    check.AppendData(buffer, 0, read);
                    sha256.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                    received?.Report(read);
                }
                actual = check.GetHashAndReset();
                digest = Digest.FromSha256Hash(sha256.GetHashAndReset());
            }, cancellationToken);
            if (!actual.AsSpan().SequenceEqual(integrity.Expected))
                throw new ModulusException(Errors.NpmIntegrityMismatch, id, version.Tarball, integrity.Text, integrity.Describe(actual));
            using (var file = File.OpenRead(temp)) _store.Import(file, digest, $"the tarball of {id}");
            WriteIndex(version.Name, version.Version, digest);
            return digest;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private void WriteIndex(string name, SemVersion version, Digest digest)
    {
        var index = IndexPath(name, version);
        Directory.CreateDirectory(Path.GetDirectoryName(index)!);
        var temp = index + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllText(temp, digest.ToString());
        File.Move(temp, index, overwrite: true);
    }

    // A scoped name's '/' must not make a folder; '%' cannot occur in a valid name.
    private string IndexPath(string name, SemVersion version) =>
        Path.Combine(Root, "npm", "index", $"{name.Replace("/", "%2f", StringComparison.Ordinal)}@{version}");
}
