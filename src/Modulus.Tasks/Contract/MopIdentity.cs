using Modulus.Images;

namespace Modulus.Contract;

/// <summary>Who mop is in an image: the ids its files are checked against.</summary>
internal sealed record MopIdentity(int Uid, IReadOnlySet<int> Gids)
{
    /// <summary>
    /// mop's uid and every group it is in: its primary group, the standard's group and each group
    /// that lists it as a member. The standard's ids stand in for what the image lacks.
    /// </summary>
    public static MopIdentity Of(AccountDatabase accounts, RunImageStandard s)
    {
        var user = accounts.User(s.UserName);
        var gids = new HashSet<int> { user?.Gid ?? s.Gid, accounts.Group(s.GroupName)?.Gid ?? s.Gid };
        gids.UnionWith(accounts.Groups.Where(g => g.Members.Contains(s.UserName)).Select(g => g.Gid));
        return new MopIdentity(user?.Uid ?? s.Uid, gids);
    }

    /// <summary>Whether mop may execute a file with this owner and mode, as the kernel decides it.</summary>
    public bool CanExecute(FileSystemNode node) =>
        node.Uid == Uid ? (node.Mode & 0b001_000_000) != 0
        : Gids.Contains(node.Gid) ? (node.Mode & 0b000_001_000) != 0
        : (node.Mode & 0b000_000_001) != 0;
}
