using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using Modulus.Diagnostics;
using Modulus.Layers;
using Modulus.Oci;
using Modulus.Storage;

namespace Modulus.Sources;

/// <summary>
/// Helpers for reading image archives in one pass. Entry names are only ever compared as text:
/// nothing in an archive becomes a host path, so a hostile name cannot write outside the store.
/// </summary>
internal static class ArchiveEntries
{
    /// <summary>The JSON files of an archive (index.json, manifest.json, oci-layout) are small.</summary>
    public const long MaxJsonSize = 4 << 20;

    /// <summary>
    /// Hands each regular file and symbolic link of the tar at <paramref name="archivePath"/> to
    /// <paramref name="visit"/> with its normalized name, in archive order. A file that is not a
    /// readable tar, or one that breaks off (truncated, or a gzip stream that ends inside an
    /// entry), is <paramref name="unreadable"/>, naming the archive.
    /// </summary>
    public static void ForEach(string archivePath, ErrorCode unreadable, Action<TarEntry, string> visit)
    {
        try
        {
            foreach (var entry in FilesAndLinks(archivePath, unreadable)) visit(entry, Normalize(entry.Name));
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException)
        {
            throw Unreadable(unreadable, archivePath, e);
        }
    }

    private static IEnumerable<TarEntry> FilesAndLinks(string archivePath, ErrorCode unreadable)
    {
        if (HostFile.KindOf(archivePath) is var kind and not (HostFileKind.RegularFile or HostFileKind.Missing))
            throw new ModulusException(Errors.BlobNotRegularFile, archivePath, "the base image archive", HostFile.Describe(kind));
        using var file = new FileStream(archivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        // `docker save | gzip` is common, and docker load accepts it; so does this.
        using var tar = IsGzip(file) ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
        using var reader = new TarReader(tar);
        while (true)
        {
            TarEntry? entry;
            try
            {
                entry = reader.GetNextEntry();
            }
            catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
            {
                throw Unreadable(unreadable, archivePath, e);
            }
            if (entry is null) yield break;
            WithinLimits(entry.Name, "name", archivePath, entry.Name);
            if (entry.EntryType == TarEntryType.SymbolicLink) WithinLimits(entry.LinkName, "link target", archivePath, entry.Name);
            if (IsRegularFile(entry) || entry.EntryType == TarEntryType.SymbolicLink) yield return entry;
        }
    }

    /// <summary>
    /// Every name is held to the <see cref="PathLimits"/> as it is read: names are keys and are
    /// split to resolve links, so a 40 000-byte one would cost each step its length.
    /// </summary>
    private static void WithinLimits(string path, string what, string archivePath, string entryName)
    {
        if (PathLimits.Check(path) is { } beyond)
            throw new ModulusException(Errors.ArchiveEntryPathBeyondLimits, archivePath, PathLimits.Shortened(entryName), $"{what} {beyond.Breach}", beyond.Limit);
    }

    private static ModulusException Unreadable(ErrorCode code, string archivePath, Exception inner) =>
        new(code, inner, archivePath, $"it is not a readable tar archive ({inner.Message})");

    private static bool IsGzip(FileStream file)
    {
        Span<byte> magic = stackalloc byte[2];
        var read = file.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        file.Position = 0;
        return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }

    public static bool IsRegularFile(TarEntry entry) =>
        entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile && entry.DataStream is not null;

    /// <summary>
    /// The entry name a symlink entry points to, resolved as text against the link's folder, or
    /// null when it leaves the archive's root.
    /// </summary>
    public static string? LinkTarget(string linkName, string target)
    {
        var parts = new List<string>();
        var start = target.StartsWith('/') ? target : linkName[..(linkName.LastIndexOf('/') + 1)] + target;
        foreach (var part in start.Split('/'))
        {
            if (part is "" or ".") continue;
            if (part != "..") parts.Add(part);
            else if (parts.Count == 0) return null;
            else parts.RemoveAt(parts.Count - 1);
        }
        return string.Join('/', parts);
    }

    /// <summary>The name as archives spell it in manifests: no leading "./".</summary>
    public static string Normalize(string name)
    {
        while (name.StartsWith("./", StringComparison.Ordinal)) name = name[2..];
        return name;
    }

    /// <summary>The digest named by a blobs/&lt;algorithm&gt;/&lt;hex&gt; entry, or null.</summary>
    public static Digest? BlobDigest(string name)
    {
        var parts = name.Split('/');
        return parts.Length == 3 && parts[0] == "blobs" && Digest.TryParse($"{parts[1]}:{parts[2]}", out var digest) ? digest : null;
    }

    public static byte[] ReadSmall(TarEntry entry, string archivePath)
    {
        if (entry.Length > MaxJsonSize)
            throw new ModulusException(Errors.ArchiveEntryTooLarge, entry.Name, archivePath, entry.Length, MaxJsonSize);
        using var buffer = new MemoryStream((int)entry.Length);
        entry.DataStream!.CopyTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>
    /// Stores an entry whose digest the archive does not say (a pre-25 docker-archive's layer.tar):
    /// it is hashed into a staging file in the store, then imported under the digest found.
    /// </summary>
    public static Digest ImportUnnamed(TarEntry entry, BlobStore store, string what)
    {
        var staging = Path.Combine(store.Root, "staging");
        Directory.CreateDirectory(staging);
        var temp = Path.Combine(staging, Guid.NewGuid().ToString("N"));
        try
        {
            Digest digest;
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                var buffer = new byte[1 << 16];
                int read;
                while ((read = entry.DataStream!.Read(buffer)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    file.Write(buffer, 0, read);
                }
                digest = Digest.FromSha256Hash(hash.GetHashAndReset());
            }
            using (var file = File.OpenRead(temp)) store.Import(file, digest, what);
            return digest;
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
