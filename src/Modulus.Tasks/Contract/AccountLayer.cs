using Modulus.Images;
using Modulus.Layers;

namespace Modulus.Contract;

/// <summary>
/// The account files of a run image: the base's /etc/passwd, /etc/group, /etc/shadow (and
/// /etc/gshadow when the base has one) with the mop user and group merged in. Shadow files keep
/// Debian's ownership, root and group shadow, mode 0640, so only root and shadow can read them.
/// </summary>
internal static class AccountLayer
{
    private static readonly UnixPath Passwd = AccountDatabase.PasswdPath;
    private static readonly UnixPath Group = AccountDatabase.GroupPath;
    private static readonly UnixPath Shadow = AccountDatabase.ShadowPath;
    private static readonly UnixPath Gshadow = AccountDatabase.GshadowPath;
    private const int ShadowMode = 0b110_100_000; // 0640

    /// <summary>Entries for an image that has no account files at all, so that root exists too.</summary>
    private const string RootPasswd = "root:x:0:0:root:/root:/bin/sh\n";
    private const string RootGroup = "root:x:0:\n";

    public static IEnumerable<LayerEntry> Entries(RunImageStandard s, ImageFileSystem baseView)
    {
        var groupText = ImageText.Read(baseView, Group) ?? RootGroup;
        var group = AccountFiles.MergeGroup(groupText, new GroupEntry(s.GroupName, s.Gid, []));
        var passwd = AccountFiles.MergePasswd(ImageText.Read(baseView, Passwd) ?? RootPasswd,
            new PasswdEntry(s.UserName, s.Uid, s.Gid, s.Comment, s.Home.Value, s.Shell.Value));
        var shadowGid = AccountDatabase.ParseGroup(groupText).FirstOrDefault(g => g.Name == "shadow")?.Gid ?? 0;

        yield return File(Passwd, passwd, 0, LayerEntry.DefaultFileMode);
        yield return File(Group, group, 0, LayerEntry.DefaultFileMode);
        yield return File(Shadow, AccountFiles.MergeShadow(ImageText.Read(baseView, Shadow), s.UserName, AccountFiles.ShadowLine(s.UserName)), shadowGid, ShadowMode);
        if (ImageText.Read(baseView, Gshadow) is { } gshadow)
            yield return File(Gshadow, AccountFiles.MergeShadow(gshadow, s.GroupName, AccountFiles.GshadowLine(s.GroupName)), shadowGid, ShadowMode);
    }

    private static FileEntry File(UnixPath path, string text, int gid, int mode) =>
        new(path, FileContent.FromText(text, "generated " + path.Value), 0, gid, mode);
}
