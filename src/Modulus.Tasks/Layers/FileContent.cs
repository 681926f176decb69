using System.Security.Cryptography;
using System.Text;
using Modulus.Diagnostics;

namespace Modulus.Layers;

/// <summary>
/// The bytes of a regular file in a layer: a host file read when the layer is written, or bytes in
/// memory. Two contents are equal when they name the same host file or hold the same bytes, so
/// the same file declared twice is one entry, not a conflict.
/// </summary>
public abstract class FileContent
{
    /// <summary>The length the tar header promises; the writer fails with MOD2109 when the bytes differ.</summary>
    public abstract long Length { get; }

    public abstract Stream OpenRead();

    /// <summary>Says where the bytes come from, for errors.</summary>
    public abstract string Describe();

    /// <summary>
    /// What stands for the bytes in a layer's memo key (<see cref="LayerKey"/>): "sha256:HEX" of the
    /// bytes, read the first time it is asked for, or what a verified content-addressed source says they are
    /// (<see cref="FromVerifiedFile"/>). A file whose length is no longer the one measured fails
    /// here as the writer would (MOD2109), so a key never stands for a layer that could not be written.
    /// </summary>
    internal virtual string Identity()
    {
        using var source = OpenRead();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        long read = 0;
        int n;
        while ((n = source.Read(buffer)) > 0)
        {
            hash.AppendData(buffer, 0, n);
            read += n;
        }
        if (read != Length) throw new ModulusException(Errors.SourceFileChanged, Describe(), Length, read);
        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    internal static FileContent Empty { get; } = FromBytes([], "an empty file");

    /// <summary>
    /// A host file, measured now and read when the layer is written: MOD5002 when it does not
    /// exist, MOD5070 when it is not a regular file (a link counts as the file it ends at).
    /// </summary>
    public static FileContent FromFile(string hostPath) => new HostFileContent(Path.GetFullPath(hostPath), null);

    /// <summary>
    /// A host file copied from a source verified against its digest, whose bytes
    /// <paramref name="identity"/> names (say "npm sha256:TARBALL package/lib/x.js"): the layer memo
    /// keys on it instead of reading the file again. Only for copies written from the verified
    /// source and never changed after, as the extracted npm tarballs in the blob store are.
    /// </summary>
    internal static FileContent FromVerifiedFile(string hostPath, string identity) => new HostFileContent(Path.GetFullPath(hostPath), identity);

    public static FileContent FromBytes(byte[] bytes, string description = "inline content") => new BytesContent(bytes, description);

    /// <summary>UTF-8 text without a byte-order mark.</summary>
    public static FileContent FromText(string text, string description = "inline content") =>
        new BytesContent(new UTF8Encoding(false).GetBytes(text), description);

    public override string ToString() => Describe();

    private sealed class HostFileContent : FileContent
    {
        private readonly long _length;

        private string? _identity;

        public HostFileContent(string hostPath, string? identity)
        {
            HostPath = hostPath;
            _identity = identity;
            // Told apart before anything opens it: a FIFO would block the open, a device never ends.
            var kind = HostFile.KindOf(hostPath);
            if (kind == HostFileKind.Missing) throw new ModulusException(Errors.FileSourceMissing, hostPath);
            if (kind != HostFileKind.RegularFile) throw new ModulusException(Errors.SourceNotRegularFile, hostPath, HostFile.Describe(kind));
            _length = new FileInfo(hostPath).Length;
        }

        public string HostPath { get; }

        public override long Length => _length;

        public override Stream OpenRead()
        {
            SourceReads.Opened(HostPath);
            try
            {
                // Unbuffered: the layer writer reads in 64 KiB blocks already, and a buffer per
                // file would be 64 KiB of garbage for each of thousands of small files.
                return new FileStream(HostPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                throw new ModulusException(Errors.FileSourceMissing, e, HostPath);
            }
        }

        public override string Describe() => HostPath;

        // Read once: the fingerprint of a publish and the key of the layer ask for the same file's.
        internal override string Identity() => _identity ??= base.Identity();

        public override bool Equals(object? obj) => obj is HostFileContent other && other.HostPath == HostPath && other._length == _length;

        public override int GetHashCode() => HostPath.GetHashCode(StringComparison.Ordinal);
    }

    private sealed class BytesContent(byte[] bytes, string description) : FileContent
    {
        private readonly byte[] _bytes = bytes;

        public override long Length => _bytes.Length;

        public override Stream OpenRead() => new MemoryStream(_bytes, writable: false);

        public override string Describe() => description;

        internal override string Identity() => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(_bytes));

        public override bool Equals(object? obj) => obj is BytesContent other && other._bytes.AsSpan().SequenceEqual(_bytes);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            hash.AddBytes(_bytes);
            return hash.ToHashCode();
        }
    }
}
