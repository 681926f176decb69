using System.IO.Compression;
using Modulus.Diagnostics;

namespace Modulus.DotNet;

/// <summary>
/// The names of a .nupkg's zip entries, treated as hostile: a name that would leave the folder it
/// is extracted to (absolute, <c>..</c>, a backslash, a drive), a control character, or an entry
/// whose unix mode says it is a link or device is refused (MOD3205), whatever the entry is.
/// </summary>
internal static class PackageEntries
{
    private const int FileTypeMask = 0xF000;
    private const int RegularFile = 0x8000;
    private const int Directory = 0x4000;

    /// <summary>The entry's name when it is a regular file; null for a folder entry.</summary>
    public static string? Check(ZipArchiveEntry entry, string id)
    {
        var name = entry.FullName;
        var isFolder = name.EndsWith('/');
        var problem = NameProblem(isFolder ? name[..^1] : name) ?? TypeProblem(entry.ExternalAttributes >>> 16);
        if (problem is not null) throw new ModulusException(Errors.DotnetPackUnsafe, id, name, problem);
        return isFolder ? null : name;
    }

    internal static string? NameProblem(string name)
    {
        if (name.Length == 0) return "has an empty name";
        if (name.Any(char.IsControl)) return "has a control character in its name";
        if (name.Contains('\\')) return "has a backslash in its name";
        if (name.StartsWith('/') || (name.Length > 1 && name[1] == ':')) return "is an absolute path";
        if (name.Split('/').Any(s => s is "" or "." or "..")) return "leaves the package folder or has an empty segment";
        return null;
    }

    /// <summary>Zip tools on unix keep the file's mode in the high half of the external attributes; zero means none was kept.</summary>
    private static string? TypeProblem(int mode) =>
        (mode & FileTypeMask) is 0 or RegularFile or Directory ? null : $"is not a regular file (unix mode {Convert.ToString(mode, 8)})";
}
