using Modulus.Layers;

namespace Modulus.DotNet;

/// <summary>
/// The <c>dotnet</c> command of an image with shared frameworks: ROOT/dotnet, a Python 3 program
/// (Scripts/dotnet.py, embedded) that loads the newest host/fxr/VERSION/libhostfxr.so and calls
/// its muxer entry point, and /usr/bin/dotnet linking to it, as Debian's and Microsoft's packages
/// link theirs. The image needs /usr/bin/python3 (the run images have it for supervisord).
/// </summary>
public static class DotnetMuxer
{
    public static readonly UnixPath Command = DotnetLayout.Root.Combine("dotnet");
    public static readonly UnixPath Link = UnixPath.Parse("/usr/bin/dotnet");

    public static IReadOnlyList<LayerEntry> Entries() =>
    [
        new FileEntry(Command, FileContent.FromBytes(Script(), "the dotnet muxer"), Mode: LayerEntry.DefaultExecutableMode),
        new SymlinkEntry(Link, "../share/dotnet/dotnet"),
    ];

    private static byte[] Script()
    {
        using var stream = typeof(DotnetMuxer).Assembly.GetManifestResourceStream("Modulus.DotNet.Scripts.dotnet.py")!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
