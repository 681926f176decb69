using Modulus.Diagnostics;
using Modulus.Layers;

namespace Modulus.Plan;

/// <summary>
/// A .NET app project referenced with a Destination: its publish output goes into a layer of its
/// own at <see cref="Destination"/>. <see cref="Reference"/> is the ProjectReference as written,
/// for errors; <see cref="Name"/> the project's file name, for the layer's history.
/// <see cref="Mode"/> and <see cref="Owner"/> are read; null means the default (0644, root).
/// </summary>
public sealed record PlannedApp(
    string Reference,
    string Name,
    string? Destination,
    PermissionMode? Mode,
    OwnerSpec? Owner,
    IReadOnlyList<PlannedAppFile> Files,
    SourceLocation Location)
{
    /// <summary>The folder the files go to: absolute and ending in '/' (MOD5041 otherwise).</summary>
    public UnixPath DestinationFolder()
    {
        var text = Destination?.Trim() ?? string.Empty;
        string? reason = null;
        if (!text.StartsWith('/') || !text.EndsWith('/')) reason = "it must start and end with '/'";
        else if (text.Contains('\0') || text.Contains('\\')) reason = "it contains a NUL or backslash";
        if (reason is null && UnixPath.TryFromTarName(text, out var folder)) return folder;
        throw new ModulusException(Errors.InvalidAppDestination, Reference, text, reason ?? "'..' climbs above the root");
    }

    /// <summary>
    /// The mode of a file: Mode (default 0644), and for a file the publish output marks
    /// executable (the apphost, native tools) Mode with execute added wherever it grants read,
    /// as chmod's a+X does: 0644 gives 0755, 0640 gives 0750.
    /// </summary>
    public int FileMode(PlannedAppFile file)
    {
        var mode = PermissionMode.Or(Mode, LayerEntry.DefaultFileMode);
        return file.Executable ? mode | ((mode & 0b100_100_100) >> 2) : mode;
    }

    /// <summary>The app as one platform's image holds it: the files of that runtime identifier's publish, or made for every platform.</summary>
    public PlannedApp ForRuntimeIdentifier(string? runtimeIdentifier) => Files.All(f => f.RuntimeIdentifier is null)
        ? this
        : this with { Files = Files.Where(f => f.RuntimeIdentifier is null || f.RuntimeIdentifier == runtimeIdentifier).ToArray() };

    /// <summary>Checks what needs neither the publish output nor the base image: the Destination.</summary>
    public void Validate() => DestinationFolder();
}

/// <summary>
/// One file of an app's publish output: where it is on the host, its path below the
/// Destination ('/'-separated), and whether it is executable (on Unix its execute bit on disk;
/// on Windows, which has none, the app's apphost). <see cref="RuntimeIdentifier"/> is the
/// runtime identifier of the publish that made it, for a multi-platform image whose app is
/// published once per platform: the file goes into that platform's image alone. Null means
/// every platform's image.
/// </summary>
public sealed record PlannedAppFile(string SourcePath, string RelativePath, bool Executable, string? RuntimeIdentifier = null)
{
    private const UnixFileMode ExecuteBits = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>A published file; <paramref name="isAppHost"/> says the publish named it the app's executable.</summary>
    public static PlannedAppFile Published(string sourcePath, string relativePath, bool isAppHost, string? runtimeIdentifier = null)
    {
        var executable = OperatingSystem.IsWindows()
            ? isAppHost && Path.GetExtension(relativePath).Length == 0
            : File.Exists(sourcePath) && (File.GetUnixFileMode(sourcePath) & ExecuteBits) != 0;
        return new PlannedAppFile(sourcePath, relativePath.Replace('\\', '/'), executable, runtimeIdentifier);
    }
}
