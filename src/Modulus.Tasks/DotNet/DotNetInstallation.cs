using Modulus.Images;
using Modulus.Layers;
using Modulus.Oci;

namespace Modulus.DotNet;

/// <summary>
/// The .NET an image holds, read from its merged file system the way the host finds it:
/// DOTNET_ROOT from the image's environment (default /usr/share/dotnet), each framework's versions
/// in $DOTNET_ROOT/shared/NAME/VERSION/, the host resolver in $DOTNET_ROOT/host/fxr/VERSION/libhostfxr.so.
/// images/dotnet lays its runtime out so.
/// </summary>
public sealed class DotNetInstallation
{
    public static readonly UnixPath DefaultRoot = UnixPath.Parse("/usr/share/dotnet");

    private readonly ImageFileSystem _fileSystem;

    private DotNetInstallation(ImageFileSystem fileSystem, UnixPath root, IReadOnlyDictionary<string, string> environment)
    {
        _fileSystem = fileSystem;
        Root = root;
        Environment = environment;
    }

    public UnixPath Root { get; }

    /// <summary>The image's environment variables that steer the host (DOTNET_ROLL_FORWARD and friends).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    public static DotNetInstallation Of(ImageFileSystem fileSystem, ImageConfig config)
    {
        var root = config.GetEnv("DOTNET_ROOT") is { Length: > 1 } value && value.StartsWith('/') && UnixPath.TryFromTarName(value[1..], out var parsed)
            ? parsed
            : DefaultRoot;
        var environment = config.Env.Select(e => e.Split('=', 2)).Where(p => p.Length == 2 && p[0].StartsWith("DOTNET_", StringComparison.Ordinal))
            .GroupBy(p => p[0], StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last()[1], StringComparer.Ordinal);
        return new DotNetInstallation(fileSystem, root, environment);
    }

    /// <summary>The versions of <paramref name="framework"/> the image has, lowest first; each a folder named by a valid version.</summary>
    public IReadOnlyList<FrameworkVersion> Versions(string framework) =>
        [.. _fileSystem.List(Root.Combine("shared").Combine(framework))
            .Where(n => IsDirectory(n.Path))
            .Select(n => FrameworkVersion.TryParse(n.Path.Name, out var version) ? version : null)
            .OfType<FrameworkVersion>()
            .Order()];

    /// <summary>Whether $DOTNET_ROOT/shared holds any framework at all.</summary>
    public bool HasAnyFramework => _fileSystem.List(Root.Combine("shared")).Any(n => IsDirectory(n.Path));

    /// <summary>Whether a host resolver (libhostfxr.so) is in some $DOTNET_ROOT/host/fxr/VERSION/ folder.</summary>
    public bool HasHostResolver =>
        _fileSystem.List(Root.Combine("host/fxr")).Any(v => _fileSystem.Resolve(v.Path.Combine("libhostfxr.so")) is { } so && _fileSystem.Get(so)?.Type is NodeType.File or NodeType.HardLink);

    private bool IsDirectory(UnixPath path) => _fileSystem.Resolve(path) is { } resolved && _fileSystem.Get(resolved)?.Type == NodeType.Directory;
}
