using System.Security.Cryptography;
using System.Text;
using Modulus.Layers;

namespace Modulus.Debian;

/// <summary>
/// Writes dpkg's database for the installed packages, so <c>dpkg -l</c>, <c>dpkg -L</c> and
/// <c>dpkg -V</c> work in the image: the status file (the base's entries kept, the new ones added,
/// sorted by name as dpkg keeps it), and per package its file list, md5sums, conffiles and
/// the other control members dpkg stores in info/.
/// </summary>
public static class DpkgDatabase
{
    private static readonly UnixPath Root = UnixPath.Parse("/var/lib/dpkg");
    private static readonly HashSet<string> Scripts = new(StringComparer.Ordinal) { "preinst", "postinst", "prerm", "postrm", "config" };

    public static void Write(InstallTree tree, IReadOnlyList<UnpackedPackage> packages, IReadOnlyList<ControlParagraph> baseStatus)
    {
        foreach (var folder in new[] { "info", "updates", "triggers", "alternatives" })
            tree.Put(new DirectoryEntry(Root.Combine(folder)));
        var installed = packages.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var paragraphs = baseStatus.Where(p => !installed.Contains(p.Get("Package")))
            .Concat(packages.Select(p => StatusOf(p, tree)))
            .OrderBy(p => p.Get("Package"), StringComparer.Ordinal)
            .ThenBy(p => p.Get("Architecture"), StringComparer.Ordinal);
        tree.Put(new FileEntry(Root.Combine("status"), FileContent.FromText(string.Join("\n", paragraphs.Select(p => p.Format())), "dpkg status")));
        foreach (var package in packages) WriteInfo(tree, package);
        // Format 1 tells dpkg that Multi-Arch: same packages' files are named "pkg:arch.*";
        // without it dpkg looks for "pkg.list" and reports their files missing.
        tree.Put(new FileEntry(Root.Combine("info/format"), FileContent.FromText("1\n", "dpkg info format")));
    }

    /// <summary>The name dpkg gives a package's info files: "pkg", or "pkg:arch" for Multi-Arch: same.</summary>
    public static string InfoName(ControlParagraph control) =>
        control["Multi-Arch"] == "same" ? $"{control.Get("Package")}:{control.Get("Architecture")}" : control.Get("Package");

    private static void WriteInfo(InstallTree tree, UnpackedPackage package)
    {
        var info = Root.Combine("info");
        var name = InfoName(package.Control);
        var list = new StringBuilder("/.\n");
        foreach (var entry in package.Entries.Where(e => e.Path != "/")) list.Append(entry.Path).Append('\n');
        tree.Put(new FileEntry(info.Combine(name + ".list"), FileContent.FromText(list.ToString(), name + ".list")));
        foreach (var member in package.ControlMembers)
        {
            var mode = Scripts.Contains(member) ? LayerEntry.DefaultExecutableMode : LayerEntry.DefaultFileMode;
            tree.Put(new FileEntry(info.Combine(name + "." + member), FileContent.FromFile(package.ControlFilePath(member)), Mode: mode));
        }
    }

    /// <summary>The package's control fields with the status and conffile hashes dpkg adds after unpacking and configuring.</summary>
    private static ControlParagraph StatusOf(UnpackedPackage package, InstallTree tree)
    {
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var field in package.Control.Fields)
        {
            if (field.Key == "Description") AddConffiles(fields, package, tree);
            fields.Add(field);
            if (field.Key == "Package") fields.Add(new("Status", "install ok installed"));
        }
        if (!package.Control.Fields.Any(f => f.Key == "Description")) AddConffiles(fields, package, tree);
        return new ControlParagraph(fields);
    }

    private static void AddConffiles(List<KeyValuePair<string, string>> fields, UnpackedPackage package, InstallTree tree)
    {
        var conffiles = (package.ReadControlMember("conffiles") ?? string.Empty)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.StartsWith('/'))
            .ToList();
        if (conffiles.Count == 0) return;
        var value = new StringBuilder();
        foreach (var conffile in conffiles)
        {
            var hash = tree.Get(UnixPath.Parse(conffile)) is FileEntry file ? Md5Of(file.Content) : "newconffile";
            value.Append("\n ").Append(conffile).Append(' ').Append(hash);
        }
        fields.Add(new("Conffiles", value.ToString()));
    }

    private static string Md5Of(FileContent content)
    {
        using var stream = content.OpenRead();
        return Convert.ToHexStringLower(MD5.HashData(stream));
    }
}
