using System.Text;
using Modulus.Images;
using Modulus.Layers;

namespace Modulus.Contract;

/// <summary>The few text files of an image the contract reads: account files, supervisord's configuration, #! lines.</summary>
internal static class ImageText
{
    public static Encoding Utf8 { get; } = new UTF8Encoding(false);

    /// <summary>The file's text (symbolic links followed), or null when there is no such file.</summary>
    public static string? Read(ImageFileSystem fs, UnixPath path) => fs.ReadFile(path) is { } bytes ? Utf8.GetString(bytes) : null;
}
