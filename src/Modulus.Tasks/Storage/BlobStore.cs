using System.Security.Cryptography;
using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Layers;
using Modulus.Oci;

namespace Modulus.Storage;

/// <summary>
/// A content-addressed folder of blobs (<c>ROOT/sha256/HEX</c>), shared by builds. A blob is
/// written to a temporary file beside its final place and renamed into it only once its digest
/// is known (and, for imports, verified), so the store never holds a partial or wrong blob and
/// concurrent builds writing the same blob both succeed.
/// </summary>
public sealed class BlobStore
{
    public BlobStore(string root)
    {
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    public string PathOf(Digest digest) => Path.Combine(Root, digest.Algorithm, digest.Encoded);

    /// <summary>Whether the store holds the blob; a blob found is marked used (<see cref="CacheUse"/>), as the caller is about to use it.</summary>
    public bool Contains(Digest digest) => Used(PathOf(digest));

    /// <summary>
    /// Copies <paramref name="content"/> into the store, verifying it against
    /// <paramref name="expected"/> on the way. <paramref name="what"/> names the source in errors;
    /// <paramref name="mismatch"/> (what, expected, actual) is the error a wrong digest gives,
    /// MOD2003 unless the caller's domain has its own.
    /// </summary>
    public string Import(Stream content, Digest expected, string what, ErrorCode? mismatch = null)
    {
        var target = PathOf(expected);
        if (Used(target)) return target;
        var temp = NewTempPath(expected.Algorithm);
        try
        {
            Digest actual;
            using (var file = CreateTemp(temp))
            using (var hash = IncrementalHash.CreateHash(BlobHashes.AlgorithmOf(expected)))
            {
                var buffer = new byte[1 << 16];
                int read;
                while ((read = content.Read(buffer)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    file.Write(buffer, 0, read);
                }
                actual = BlobHashes.DigestOf(expected.Algorithm, hash.GetHashAndReset());
            }
            if (actual != expected) throw new ModulusException(mismatch ?? Errors.DigestMismatch, what, expected, actual);
            MoveIntoPlace(temp, target);
            return target;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Stores small bytes (a manifest or config), verifying nothing: the digest is computed here.</summary>
    public Digest Put(ReadOnlySpan<byte> bytes)
    {
        var digest = Digest.Compute(bytes);
        var target = PathOf(digest);
        if (Used(target)) return digest;
        var temp = NewTempPath(digest.Algorithm);
        try
        {
            using (var file = CreateTemp(temp)) file.Write(bytes);
            MoveIntoPlace(temp, target);
        }
        finally
        {
            File.Delete(temp);
        }
        return digest;
    }

    /// <summary>
    /// Writes <paramref name="entries"/> as a gzip layer into the store. The diffID is known only
    /// after the whole tar is written, so the layer goes to a temporary file first.
    /// </summary>
    public BlobLayer WriteLayer(IEnumerable<LayerEntry> entries, LayerWriterOptions options) =>
        WriteLayer(LayerContents.Of(entries, options.ImpliedParent), options);

    /// <summary>
    /// Writes contents already planned (see <see cref="LayerWriter.Write(LayerContents, Stream, LayerWriterOptions)"/>),
    /// unless a layer of the same inputs is in the store already (<see cref="LayerMemo"/>): the
    /// same inputs give the same bytes, so that blob is the layer.
    /// </summary>
    public BlobLayer WriteLayer(LayerContents contents, LayerWriterOptions options) => WriteLayer(contents, options, out _);

    /// <summary>As <see cref="WriteLayer(LayerContents, LayerWriterOptions)"/>; <paramref name="reused"/> says the layer was found written already and nothing was written now.</summary>
    public BlobLayer WriteLayer(LayerContents contents, LayerWriterOptions options, out bool reused)
    {
        var key = LayerKey.Of(contents, options);
        var memo = new LayerMemo(Root);
        reused = memo.TryGet(key, out var known) && Contains(known.Digest);
        if (reused)
            return new BlobLayer(PathOf(known.Digest), MediaTypes.OciLayerGzip, known.Digest, known.DiffId, known.Size);
        var temp = NewTempPath("sha256");
        try
        {
            LayerDigests digests;
            using (var file = CreateTemp(temp)) digests = LayerWriter.Write(contents, file, options);
            LayerWrites.Written(digests.DiffId);
            var target = PathOf(digests.Digest);
            // Replaced even when a blob of that digest is there: the bytes just written are known
            // good, the stored ones may have been damaged since (a rename over it is atomic).
            File.Move(temp, target, overwrite: true);
            memo.Put(key, digests);
            return new BlobLayer(target, MediaTypes.OciLayerGzip, digests.Digest, digests.DiffId, digests.Size);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>
    /// The diffID of a stored gzip layer blob, computed once and remembered beside the blob (bases
    /// from archives do not always say it, and re-hashing a large layer on every build is waste).
    /// </summary>
    public Digest DiffIdOf(Digest blobDigest, string mediaType)
    {
        if (!MediaTypes.IsGzipLayer(mediaType)) return blobDigest;
        var memo = DiffIdRecordOf(blobDigest);
        if (Used(memo) && Digest.TryParse(File.ReadAllText(memo).Trim(), out var known)) return known;
        Digest diffId;
        // Strict: this is the first full read of a base layer, and a blob cut short must not pass for a whole one.
        using (var gzip = StrictGzipStream.Open(File.OpenRead(PathOf(blobDigest))))
            diffId = Digest.Compute(gzip);
        AtomicFile.WriteAllText(memo, diffId.ToString());
        return diffId;
    }

    /// <summary>Remembers <paramref name="diffId"/> as the diffID of a stored blob whose whole tar a caller has just hashed to it.</summary>
    public void RememberDiffId(Digest blobDigest, Digest diffId) => AtomicFile.WriteAllText(DiffIdRecordOf(blobDigest), diffId.ToString());

    /// <summary>Forgets the remembered diffID of a blob (a record found wrong), so the next <see cref="DiffIdOf"/> computes it again.</summary>
    public void ForgetDiffId(Digest blobDigest) => DeleteQuietly(DiffIdRecordOf(blobDigest));

    /// <summary>Whether the stored blob still hashes to its digest (a full read of it).</summary>
    public bool IsIntact(Digest digest) => BlobHashes.OfFile(PathOf(digest), digest.Algorithm) == digest;

    /// <summary>
    /// Fails with MOD2220 when the stored blob no longer hashes to its digest, after removing it
    /// and its diffID record: the next publish fetches or rebuilds it instead of using it again.
    /// </summary>
    public void EnsureIntact(Digest digest)
    {
        var path = PathOf(digest);
        var actual = BlobHashes.OfFile(path, digest.Algorithm);
        if (actual != digest) Evict(digest, new FileInfo(path).Length, actual);
    }

    /// <summary>
    /// The bytes of a small stored blob (a manifest, an index, a config), checked against its
    /// digest on every read (the hash of a few kilobytes): one damaged since it was stored is
    /// removed and fails with MOD2220, so the publish fetches it again instead of building on it.
    /// </summary>
    public byte[] ReadIntact(Digest digest)
    {
        var bytes = File.ReadAllBytes(PathOf(digest));
        var actual = BlobHashes.Of(bytes, digest.Algorithm);
        if (actual != digest) Evict(digest, bytes.LongLength, actual);
        return bytes;
    }

    /// <summary>Removes a stored blob found not to match its digest, and what was computed from it, and fails with MOD2220.</summary>
    private void Evict(Digest digest, long size, Digest actual)
    {
        var path = PathOf(digest);
        DeleteQuietly(path);
        ForgetDiffId(digest);
        throw new ModulusException(Errors.CachedBlobCorrupt, digest, path, size, actual);
    }

    /// <summary>Whether the file is there, marking it used when it is.</summary>
    private static bool Used(string path)
    {
        if (!File.Exists(path)) return false;
        CacheUse.TouchFile(path);
        return true;
    }

    private string DiffIdRecordOf(Digest blobDigest) => Path.Combine(Root, "diffids", blobDigest.Encoded);

    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file that stays is checked again when next used.
        }
    }

    private string NewTempPath(string algorithm)
    {
        var folder = Path.Combine(Root, algorithm);
        Directory.CreateDirectory(folder);
        // The writer's PID in the name lets a later publish tell a dead writer's partial from a live one's.
        return Path.Combine(folder, "." + WriterProcess.Mark + "." + Guid.NewGuid().ToString("N") + ".partial");
    }

    /// <summary>
    /// Removes partial blobs a killed writer left: those whose writer's PID no longer runs, and any
    /// older than a day (earlier versions put no PID in the name), which no publish still writes.
    /// </summary>
    public void RemoveAbandonedPartials()
    {
        if (!Directory.Exists(Root)) return;
        var now = DateTime.UtcNow;
        foreach (var folder in Directory.EnumerateDirectories(Root))
        foreach (var partial in new DirectoryInfo(folder).EnumerateFiles(".*.partial"))
        {
            var old = now - partial.LastWriteTimeUtc > TimeSpan.FromDays(1);
            if (!old && !WriterProcess.IsGone(partial.Name[1..])) continue;
            try
            {
                partial.Delete();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Tidying only: the next publish tries again.
            }
        }
    }

    private static FileStream CreateTemp(string path) =>
        new(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16);

    private static void MoveIntoPlace(string temp, string target)
    {
        try
        {
            File.Move(temp, target, overwrite: false);
        }
        catch (IOException) when (File.Exists(target))
        {
            // Another build stored the same content first; content addressing makes them equal.
        }
    }
}
