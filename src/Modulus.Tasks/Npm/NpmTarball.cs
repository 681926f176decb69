using System.Formats.Tar;
using System.IO.Compression;
using System.Text.RegularExpressions;
using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Layers;
using Modulus.Oci;

namespace Modulus.Npm;

/// <summary>
/// Turns a verified npm tarball (gzip tar, one top folder, usually <c>package/</c>) into layer
/// entries under a destination folder. The archive is treated as hostile: entries are read with
/// <see cref="LayerReader"/>, the top folder is stripped as npm strips it, and an entry that would
/// leave the package, a link out of it, a device or a path through a file or link is refused.
/// Modes are normalized (folders 0755, files 0644, or 0755 with any execute bit) and every owner
/// is root. File bodies come from one extracted copy per tarball in the cache.
/// </summary>
public static partial class NpmTarball
{
    public static IReadOnlyList<LayerEntry> Entries(string tarballPath, Digest tarball, string extractedFolder, string id, UnixPath destination)
    {
        var members = ReadMembers(tarballPath, id);
        if (Directory.Exists(extractedFolder)) Storage.CacheUse.TouchFolder(extractedFolder);
        else Extract(tarballPath, extractedFolder);

        var entries = new SortedDictionary<string, LayerEntry>(StringComparer.Ordinal) { [""] = new DirectoryEntry(destination) };
        foreach (var (relative, member) in members)
        {
            var path = destination.Combine(relative);
            entries[relative] = member.Type switch
            {
                NodeType.Directory => new DirectoryEntry(path),
                NodeType.File => new FileEntry(path, ExtractedFile(extractedFolder, tarball, relative), Mode: NormalMode(member.Mode)),
                NodeType.Symlink => new SymlinkEntry(path, member.LinkTarget!),
                _ => HardLink(path, member, members, destination, id),
            };
            foreach (var parent in Parents(relative))
            {
                if (!entries.ContainsKey(parent)) entries[parent] = new DirectoryEntry(destination.Combine(parent));
            }
        }
        return entries.Values.ToArray();
    }

    /// <summary>
    /// A file of the extracted copy, named for the layer memo by the tarball's digest and its path
    /// inside: the copy is written only from the tarball verified against that digest and renamed
    /// into place whole, so the two say the same bytes without reading hundreds of MiB per build.
    /// </summary>
    private static FileContent ExtractedFile(string extractedFolder, Digest tarball, string relative) =>
        FileContent.FromVerifiedFile(Path.Combine(extractedFolder, relative), $"npm {tarball} {relative}");

    private static int NormalMode(int mode) => (mode & 0b001_001_001) != 0 ? LayerEntry.DefaultExecutableMode : LayerEntry.DefaultFileMode;

    private static HardLinkEntry HardLink(UnixPath path, LayerReaderEntry member, IReadOnlyDictionary<string, LayerReaderEntry> members, UnixPath destination, string id)
    {
        var target = StripTop(member.LinkTarget!);
        if (target is null || !members.TryGetValue(target, out var file) || file.Type != NodeType.File)
            throw new ModulusException(Errors.NpmTarballUnsafe, id, member.Path.TarName, $"is a hard link to '{member.LinkTarget}', which is not a file of the package");
        return new HardLinkEntry(path, destination.Combine(target), Mode: NormalMode(file.Mode));
    }

    /// <summary>The package's entries by path below the top folder; a later entry replaces an earlier one, as tar does.</summary>
    private static Dictionary<string, LayerReaderEntry> ReadMembers(string tarballPath, string id)
    {
        var members = new Dictionary<string, LayerReaderEntry>(StringComparer.Ordinal);
        using var gzip = new GZipStream(File.OpenRead(tarballPath), CompressionMode.Decompress);
        try
        {
            foreach (var entry in LayerReader.Read(gzip, $"npm package {id}"))
            {
                if (entry.Marker != LayerEntryMarker.None)
                    throw new ModulusException(Errors.NpmTarballUnsafe, id, entry.Path.TarName, "has a layer whiteout name (.wh.)");
                if (StripTop(entry.Path.Value) is not { Length: > 0 } relative) continue; // npm drops what is not in the top folder.
                if (relative.Contains('\\'))
                    throw new ModulusException(Errors.NpmTarballUnsafe, id, entry.Path.TarName, "has a backslash in its name");
                if (entry.Type is not (NodeType.File or NodeType.Directory or NodeType.Symlink or NodeType.HardLink))
                    throw new ModulusException(Errors.NpmTarballUnsafe, id, entry.Path.TarName, $"is a {entry.Type}, which a package may not hold");
                if (entry.Type == NodeType.Symlink && !StaysInside(relative, entry.LinkTarget!))
                    throw new ModulusException(Errors.NpmTarballUnsafe, id, entry.Path.TarName, $"is a link to '{entry.LinkTarget}', outside the package");
                if (members.TryGetValue(relative, out var earlier) && earlier.Type != entry.Type)
                    throw new ModulusException(Errors.NpmTarballUnsafe, id, entry.Path.TarName, $"appears twice, as a {earlier.Type} and a {entry.Type}");
                members[relative] = entry;
            }
        }
        catch (ModulusException e) when (e.Error == Errors.TarEntryEscapesRoot || e.Error == Errors.TarLinkEscapesRoot)
        {
            var name = EscapingName().Match(e.Text) is { Success: true } m ? m.Groups[1].Value : e.Text;
            throw new ModulusException(Errors.NpmTarballUnsafe, e, id, name, "leaves the package folder");
        }
        foreach (var relative in members.Keys)
        {
            var blocked = Parents(relative).FirstOrDefault(p => members.TryGetValue(p, out var parent) && parent.Type != NodeType.Directory);
            if (blocked is not null)
                throw new ModulusException(Errors.NpmTarballUnsafe, id, relative, $"lies under '{blocked}', which is not a folder");
        }
        return members;
    }

    [GeneratedRegex("has (?:entry|link) '(.*?)'")]
    private static partial Regex EscapingName();

    /// <summary>The path below the archive's top folder ("/package/lib/x.js" gives "lib/x.js"), "" for the folder itself, null above it.</summary>
    private static string? StripTop(string absolute)
    {
        var value = absolute.TrimStart('/');
        if (value.Length == 0) return null;
        var slash = value.IndexOf('/');
        return slash < 0 ? "" : value[(slash + 1)..];
    }

    private static IEnumerable<string> Parents(string relative)
    {
        for (var i = relative.LastIndexOf('/'); i > 0; i = relative.LastIndexOf('/', i - 1)) yield return relative[..i];
    }

    /// <summary>Whether a relative link target, read from the link's folder, stays inside the package.</summary>
    private static bool StaysInside(string linkPath, string target)
    {
        if (target.StartsWith('/') || target.Contains('\\')) return false;
        var depth = linkPath.Count(c => c == '/');
        foreach (var segment in target.Split('/'))
        {
            if (segment == "..") depth--;
            else if (segment is not ("" or ".")) depth++;
            if (depth < 0) return false;
        }
        return true;
    }

    /// <summary>
    /// Writes the regular files of the (already validated) tarball into a temporary folder beside
    /// <paramref name="folder"/> and renames it into place, so a reader never sees a partial copy.
    /// </summary>
    private static void Extract(string tarballPath, string folder)
    {
        var temp = folder + "." + Guid.NewGuid().ToString("N") + ".partial";
        try
        {
            Directory.CreateDirectory(temp);
            using (var gzip = new GZipStream(File.OpenRead(tarballPath), CompressionMode.Decompress))
            using (var reader = new TarReader(gzip))
            {
                while (reader.GetNextEntry() is { } entry)
                {
                    if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile)) continue;
                    if (!UnixPath.TryFromTarName(entry.Name, out var path) || StripTop(path.Value) is not { Length: > 0 } relative) continue;
                    var target = Path.Combine(temp, relative);
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    using var file = new FileStream(target, System.IO.FileMode.Create, FileAccess.Write);
                    entry.DataStream?.CopyTo(file);
                }
            }
            try
            {
                Directory.Move(temp, folder);
            }
            catch (IOException) when (Directory.Exists(folder))
            {
                // Another build extracted the same tarball first; the copies are equal.
            }
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
    }
}
