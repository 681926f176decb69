using System.Text;
using Modulus.Layers;

namespace Modulus.Debian;

/// <summary>
/// Maintainer scripts are never run (the build machine is not the image). This applies the
/// effects of theirs that a runnable system needs: the files a first install creates in /etc
/// (alternatives are <see cref="UpdateAlternatives"/>'s). docs/debian.md lists what is left out.
/// </summary>
public static class MaintainerScriptEffects
{
    /// <summary>
    /// Files postinst scripts of the minimal system copy into /etc (or /root) on a first install,
    /// each only when the package is installed now and the base image lacks the destination.
    /// </summary>
    private static readonly (string Package, string Source, string Destination)[] FirstInstallCopies =
    [
        ("base-passwd", "/usr/share/base-passwd/passwd.master", "/etc/passwd"),
        ("base-passwd", "/usr/share/base-passwd/group.master", "/etc/group"),
        ("base-files", "/usr/share/base-files/profile", "/etc/profile"),
        ("base-files", "/usr/share/base-files/motd", "/etc/motd"),
        ("base-files", "/usr/share/base-files/dot.profile", "/root/.profile"),
        ("base-files", "/usr/share/base-files/dot.bashrc", "/root/.bashrc"),
        ("base-files", "/usr/share/base-files/info.dir", "/usr/share/info/dir"),
        ("libc-bin", "/usr/share/libc-bin/nsswitch.conf", "/etc/nsswitch.conf"),
    ];

    /// <summary>
    /// The files a first install's postinst scripts create: base-passwd's accounts, base-files'
    /// profile files, libc-bin's nsswitch.conf, passwd's shadow files (shadowconfig on),
    /// debianutils' /etc/shells with every shell registered in shells.d, ca-certificates' trust
    /// bundle and tzdata's UTC zone.
    /// </summary>
    public static void AddFirstInstallFiles(InstallTree tree, IReadOnlyList<UnpackedPackage> packages, Func<UnixPath, bool> baseHas)
    {
        var names = packages.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (package, source, destination) in FirstInstallCopies)
        {
            var target = UnixPath.Parse(destination);
            if (names.Contains(package) && !baseHas(target) && tree.Get(UnixPath.Parse(source)) is FileEntry file)
                tree.Put(new FileEntry(target, file.Content));
        }
        if (names.Contains("passwd") && tree.Get(UnixPath.Parse("/etc/passwd")) is FileEntry passwd && !baseHas(UnixPath.Parse("/etc/shadow")))
            AddShadow(tree, passwd, tree.Get(UnixPath.Parse("/etc/group")) as FileEntry);
        if (names.Contains("debianutils") && !baseHas(UnixPath.Parse("/etc/shells"))) AddShells(tree);
        if (names.Contains("ca-certificates") && !baseHas(UnixPath.Parse(CertificateBundle))) AddCertificates(tree);
        if (names.Contains("libpam-runtime")) PamAuthUpdate.Apply(tree, baseHas);
        if (names.Contains("tzdata") && !baseHas(UnixPath.Parse("/etc/localtime")))
        {
            tree.Put(new SymlinkEntry(UnixPath.Parse("/etc/localtime"), "/usr/share/zoneinfo/Etc/UTC"));
            tree.Put(new FileEntry(UnixPath.Parse("/etc/timezone"), FileContent.FromText("Etc/UTC\n")));
        }
    }

    /// <summary>
    /// pwconv and grpconv: passwords move to /etc/shadow and /etc/gshadow (readable by group
    /// shadow, gid 42 in base-passwd) and the public files say "x". Every account stays locked.
    /// </summary>
    private static void AddShadow(InstallTree tree, FileEntry passwd, FileEntry? group)
    {
        const int shadowGid = 42;
        var users = Lines(passwd.Content).Select(l => l.Split(':')).Where(f => f.Length >= 7).ToList();
        tree.Put(new FileEntry(UnixPath.Parse("/etc/passwd"), FileContent.FromText(string.Concat(users.Select(f => string.Join(':', [f[0], "x", .. f[2..]]) + "\n")))));
        tree.Put(new FileEntry(UnixPath.Parse("/etc/shadow"), FileContent.FromText(string.Concat(users.Select(f => $"{f[0]}:{Locked(f[1])}::0:99999:7:::\n"))), 0, shadowGid, 0b110_100_000));
        if (group is null) return;
        var groups = Lines(group.Content).Select(l => l.Split(':')).Where(f => f.Length >= 4).ToList();
        tree.Put(new FileEntry(UnixPath.Parse("/etc/group"), FileContent.FromText(string.Concat(groups.Select(f => string.Join(':', [f[0], "x", .. f[2..]]) + "\n")))));
        tree.Put(new FileEntry(UnixPath.Parse("/etc/gshadow"), FileContent.FromText(string.Concat(groups.Select(f => $"{f[0]}:{Locked(f[1])}::{f[3]}\n"))), 0, shadowGid, 0b110_100_000));
    }

    private static string Locked(string password) => password is "" or "x" ? "*" : password;

    /// <summary>update-shells: the base list plus each shell in shells.d, under both its /bin and /usr/bin names on a merged system.</summary>
    private static void AddShells(InstallTree tree)
    {
        if (tree.Get(UnixPath.Parse("/usr/share/debianutils/shells")) is not FileEntry baseList) return;
        var shells = Lines(baseList.Content).ToList();
        var registered = tree.ToEntries()
            .Where(e => e is FileEntry && e.Path.Parent is { } parent && parent.Value == "/usr/share/debianutils/shells.d")
            .SelectMany(e => Lines(((FileEntry)e).Content))
            .Where(l => l.StartsWith('/'));
        foreach (var shell in registered)
        {
            var path = UnixPath.Parse(shell);
            var merged = tree.Canonical(path);
            foreach (var name in merged == path ? [shell] : new[] { shell, merged.Value })
                if (!shells.Contains(name)) shells.Add(name);
        }
        tree.Put(new FileEntry(UnixPath.Parse("/etc/shells"), FileContent.FromText(string.Join("\n", shells) + "\n")));
    }

    private const string CertificateBundle = "/etc/ssl/certs/ca-certificates.crt";

    /// <summary>
    /// ca-certificates' postinst: every certificate below /usr/share/ca-certificates is enabled in
    /// /etc/ca-certificates.conf, and update-ca-certificates links each into /etc/ssl/certs and
    /// concatenates them into the bundle OpenSSL (and so .NET) reads. The subject-hash links
    /// of c_rehash are not made: the bundle is enough for OpenSSL's default verify paths.
    /// </summary>
    private static void AddCertificates(InstallTree tree)
    {
        const string store = "/usr/share/ca-certificates/";
        var certificates = tree.ToEntries()
            .Where(e => e is FileEntry && e.Path.Value.StartsWith(store, StringComparison.Ordinal) && e.Path.Value.EndsWith(".crt", StringComparison.Ordinal))
            .Select(e => (Relative: e.Path.Value[store.Length..], File: (FileEntry)e))
            .OrderBy(c => c.Relative, StringComparer.Ordinal)
            .ToList();
        var conf = new StringBuilder("# Generated at build time: every certificate below /usr/share/ca-certificates is trusted.\n");
        var bundle = new StringBuilder();
        foreach (var (relative, file) in certificates)
        {
            conf.Append(relative).Append('\n');
            using (var reader = new StreamReader(file.Content.OpenRead())) bundle.Append(reader.ReadToEnd().TrimEnd('\n')).Append('\n');
            var name = relative[(relative.LastIndexOf('/') + 1)..^".crt".Length] + ".pem";
            tree.Put(new SymlinkEntry(UnixPath.Parse("/etc/ssl/certs/" + name), store + relative));
        }
        tree.Put(new FileEntry(UnixPath.Parse("/etc/ca-certificates.conf"), FileContent.FromText(conf.ToString())));
        tree.Put(new FileEntry(UnixPath.Parse(CertificateBundle), FileContent.FromText(bundle.ToString())));
    }

    private static IEnumerable<string> Lines(FileContent content)
    {
        using var reader = new StreamReader(content.OpenRead());
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }
}
