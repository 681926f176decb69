using System.Text;

namespace Modulus.Layers;

/// <summary>The bytes of a regular file in a layer: a host file read when the layer is written, or bytes in memory.</summary>
public abstract class FileContent
{
    public abstract long Length { get; }

    public abstract Stream OpenRead();

    /// <summary>Says where the bytes come from, for errors.</summary>
    public abstract string Describe();

    public static FileContent FromFile(string hostPath) => new HostFileContent(hostPath);

    public static FileContent FromBytes(byte[] bytes, string description = "inline content") => new BytesContent(bytes, description);

    /// <summary>UTF-8 text without a byte-order mark.</summary>
    public static FileContent FromText(string text, string description = "inline content") =>
        new BytesContent(new UTF8Encoding(false).GetBytes(text), description);

    private sealed class HostFileContent(string hostPath) : FileContent
    {
        private readonly long _length = new FileInfo(hostPath).Length;

        public string HostPath { get; } = hostPath;

        public override long Length => _length;

        public override Stream OpenRead() =>
            new FileStream(HostPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);

        public override string Describe() => HostPath;
    }

    private sealed class BytesContent(byte[] bytes, string description) : FileContent
    {
        public override long Length => bytes.Length;

        public override Stream OpenRead() => new MemoryStream(bytes, writable: false);

        public override string Describe() => description;
    }
}
