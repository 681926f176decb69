using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using Modulus.Diagnostics;
using Modulus.Layers;
using SharpCompress.Compressors.Xz;

namespace Modulus.Debian;

/// <summary>
/// Unpacks a .deb into a cache folder (see <see cref="UnpackedPackage"/>). The archive is treated
/// as hostile: ar headers are checked, every tar path must stay below the root, and only files,
/// directories, symlinks and hard links are accepted. The folder appears under its final name
/// only when complete, so an interrupted or refused unpack leaves nothing behind.
/// </summary>
public static class DebUnpacker
{
    public static UnpackedPackage Unpack(string debPath, string folder, string label)
    {
        if (UnpackedPackage.Exists(folder)) return UnpackedPackage.Load(folder);
        var parent = Path.GetDirectoryName(Path.GetFullPath(folder))!;
        Directory.CreateDirectory(parent);
        var temp = Path.Combine(parent, "." + Guid.NewGuid().ToString("N") + ".partial");
        try
        {
            Directory.CreateDirectory(Path.Combine(temp, "control"));
            Directory.CreateDirectory(Path.Combine(temp, "files"));
            using (var deb = File.OpenRead(debPath)) Extract(deb, temp, label);
            try
            {
                Directory.Move(temp, folder);
            }
            catch (IOException) when (UnpackedPackage.Exists(folder))
            {
                // Another build unpacked the same package first; the content is the same.
            }
            return UnpackedPackage.Load(folder);
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
    }

    private static void Extract(Stream deb, string folder, string label)
    {
        try
        {
            var members = ArArchive.ReadMembers(deb);
            if (members.Count < 3 || members[0].Name != "debian-binary")
                throw new InvalidDataException("it does not start with the members debian-binary, control.tar and data.tar");
            var control = members.FirstOrDefault(m => m.Name.StartsWith("control.tar", StringComparison.Ordinal))
                ?? throw new InvalidDataException("it has no control.tar member");
            var data = members.FirstOrDefault(m => m.Name.StartsWith("data.tar", StringComparison.Ordinal))
                ?? throw new InvalidDataException("it has no data.tar member");
            using (var tar = Decompress(deb, control)) ExtractControl(tar, folder, label);
            if (!File.Exists(Path.Combine(folder, "control", "control"))) throw new InvalidDataException("its control.tar has no control file");
            List<DebEntry> entries;
            using (var tar = Decompress(deb, data)) entries = ExtractData(tar, folder, label);
            File.WriteAllBytes(Path.Combine(folder, UnpackedPackage.EntriesFile), JsonSerializer.SerializeToUtf8Bytes(entries, UnpackedPackage.Json));
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException or InvalidOperationException or ArgumentException)
        {
            throw new ModulusException(Errors.InvalidDebArchive, e, label, e.Message);
        }
    }

    private static Stream Decompress(Stream deb, ArMember member)
    {
        var raw = new BoundedStream(deb, member.Offset, member.Size);
        var extension = member.Name[(member.Name.IndexOf(".tar", StringComparison.Ordinal) + 4)..];
        return extension switch
        {
            "" => raw,
            ".gz" => new GZipStream(raw, CompressionMode.Decompress),
            ".xz" => new XZStream(raw),
            ".zst" => new ZstdSharp.DecompressionStream(raw),
            _ => throw new InvalidDataException($"its member '{member.Name}' uses a compression Modulus does not read (gzip, xz and zstd are read)"),
        };
    }

    private static void ExtractControl(Stream tar, string folder, string label)
    {
        using var reader = new TarReader(tar);
        while (reader.GetNextEntry() is { } entry)
        {
            var path = Normalize(entry.Name, label);
            if (entry.EntryType == TarEntryType.Directory && path.IsRoot) continue;
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || path.Parent is not { IsRoot: true })
                throw new InvalidDataException($"its control.tar holds '{entry.Name}', which is not a top-level file");
            using var output = File.Create(Path.Combine(folder, "control", path.Name));
            entry.DataStream?.CopyTo(output);
        }
    }

    private static List<DebEntry> ExtractData(Stream tar, string folder, string label)
    {
        var entries = new List<DebEntry>();
        using var reader = new TarReader(tar);
        while (reader.GetNextEntry() is { } entry)
        {
            var path = Normalize(entry.Name, label).Value;
            var mode = (int)entry.Mode & 0b111_111_111_111;
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    entries.Add(new DebEntry(path, DebEntryType.Directory, mode, entry.Uid, entry.Gid));
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    var body = "files/" + entries.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    using (var output = File.Create(Path.Combine(folder, body))) entry.DataStream?.CopyTo(output);
                    entries.Add(new DebEntry(path, DebEntryType.File, mode, entry.Uid, entry.Gid, Body: body));
                    break;
                case TarEntryType.SymbolicLink:
                    if (string.IsNullOrEmpty(entry.LinkName)) throw new InvalidDataException($"its symlink '{entry.Name}' has no target");
                    entries.Add(new DebEntry(path, DebEntryType.Symlink, mode, entry.Uid, entry.Gid, entry.LinkName));
                    break;
                case TarEntryType.HardLink:
                    var target = Normalize(entry.LinkName, label).Value;
                    if (!entries.Any(e => e.Path == target && e.Type == DebEntryType.File))
                        throw new InvalidDataException($"its hard link '{entry.Name}' points to '{entry.LinkName}', which is not a file before it");
                    entries.Add(new DebEntry(path, DebEntryType.HardLink, mode, entry.Uid, entry.Gid, target));
                    break;
                default:
                    throw new InvalidDataException($"its data.tar holds '{entry.Name}' of type {entry.EntryType}, which Modulus does not install");
            }
        }
        return entries;
    }

    private static UnixPath Normalize(string name, string label) =>
        !name.Contains('\0') && UnixPath.TryFromTarName(name, out var path)
            ? path
            : throw new ModulusException(Errors.DebEntryEscapesRoot, label, name);
}
