using Modulus.Images;
using Modulus.Layers;

namespace Modulus.Contract;

/// <summary>Who mop is in an image: the ids its files are checked against.</summary>
internal sealed record MopIdentity(int Uid, IReadOnlySet<int> Gids)
{
    /// <summary>Whether mop may execute a file with this owner and mode, as the kernel decides it.</summary>
    public bool CanExecute(FileSystemNode node) =>
        node.Uid == Uid ? (node.Mode & 0b001_000_000) != 0
        : Gids.Contains(node.Gid) ? (node.Mode & 0b000_001_000) != 0
        : (node.Mode & 0b000_000_001) != 0;
}

/// <summary>The users and groups of an image, from its /etc/passwd and /etc/group.</summary>
internal sealed class ImageAccounts(IReadOnlyList<PasswdEntry> users, IReadOnlyList<GroupEntry> groups)
{
    public static readonly UnixPath PasswdPath = UnixPath.Parse("/etc/passwd");
    public static readonly UnixPath GroupPath = UnixPath.Parse("/etc/group");

    public static ImageAccounts Read(ImageFileSystem fs) => new(
        AccountFiles.ParsePasswd(ImageText.Read(fs, PasswdPath)),
        AccountFiles.ParseGroup(ImageText.Read(fs, GroupPath)));

    public PasswdEntry? User(string name) => users.FirstOrDefault(u => u.Name == name);

    public GroupEntry? Group(string name) => groups.FirstOrDefault(g => g.Name == name);

    /// <summary>
    /// mop's uid and every group it is in: its primary group, the standard's group and each group
    /// that lists it as a member. The standard's ids stand in for what the image lacks.
    /// </summary>
    public MopIdentity Identity(RunImageStandard s)
    {
        var user = User(s.UserName);
        var gids = new HashSet<int> { user?.Gid ?? s.Gid, Group(s.GroupName)?.Gid ?? s.Gid };
        gids.UnionWith(groups.Where(g => g.Members.Contains(s.UserName)).Select(g => g.Gid));
        return new MopIdentity(user?.Uid ?? s.Uid, gids);
    }
}
