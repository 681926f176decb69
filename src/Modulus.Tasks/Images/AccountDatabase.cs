using System.Globalization;
using System.Text;
using Modulus.Layers;

namespace Modulus.Images;

/// <summary>
/// Users and groups of an image, from its /etc/passwd and /etc/group. Parsing is tolerant, like
/// the C library's: comments, blank and malformed lines are skipped, and the first line naming an
/// account wins.
/// </summary>
public sealed class AccountDatabase
{
    /// <summary>Larger account files are refused (MOD2106) rather than read into memory.</summary>
    public const long MaxFileBytes = 1 << 20;

    private static readonly UnixPath PasswdPath = UnixPath.Parse("/etc/passwd");
    private static readonly UnixPath GroupPath = UnixPath.Parse("/etc/group");

    private readonly Dictionary<string, (int Uid, int Gid)> users;
    private readonly Dictionary<string, int> groups;

    private AccountDatabase(Dictionary<string, (int Uid, int Gid)> users, Dictionary<string, int> groups)
    {
        this.users = users;
        this.groups = groups;
    }

    /// <summary>The accounts of an image; an image without the files has none.</summary>
    public static AccountDatabase FromFileSystem(ImageFileSystem fileSystem) =>
        Parse(Text(fileSystem.ReadFile(PasswdPath, MaxFileBytes)), Text(fileSystem.ReadFile(GroupPath, MaxFileBytes)));

    /// <summary>Parses the text of /etc/passwd and /etc/group (either may be empty).</summary>
    public static AccountDatabase Parse(string passwd, string group)
    {
        var users = new Dictionary<string, (int Uid, int Gid)>(StringComparer.Ordinal);
        foreach (var fields in Records(passwd, minFields: 7))
            if (TryId(fields[2], out var uid) && TryId(fields[3], out var gid)) users.TryAdd(fields[0], (uid, gid));

        var groups = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var fields in Records(group, minFields: 4))
            if (TryId(fields[2], out var gid)) groups.TryAdd(fields[0], gid);

        return new AccountDatabase(users, groups);
    }

    public int? FindUserId(string name) => users.TryGetValue(name, out var user) ? user.Uid : null;

    public int? FindGroupId(string name) => groups.TryGetValue(name, out var gid) ? gid : null;

    /// <summary>The primary group id of a user, or null when the user is unknown.</summary>
    public int? PrimaryGroupOf(string userName) => users.TryGetValue(userName, out var user) ? user.Gid : null;

    private static IEnumerable<string[]> Records(string text, int minFields) =>
        text.Split('\n')
            .Select(line => line.TrimEnd('\r'))
            .Where(line => line.Length > 0 && line[0] != '#')
            .Select(line => line.Split(':'))
            .Where(fields => fields.Length >= minFields && fields[0].Length > 0);

    private static bool TryId(string value, out int id) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out id);

    private static string Text(byte[]? content) => content is null ? string.Empty : Encoding.UTF8.GetString(content);
}
