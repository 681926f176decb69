using System.Globalization;
using System.Text;
using Modulus.Layers;

namespace Modulus.Images;

/// <summary>A line of /etc/passwd: name:password:uid:gid:comment:home:shell.</summary>
public sealed record PasswdEntry(string Name, int Uid, int Gid, string Comment, string Home, string Shell)
{
    public override string ToString() => $"{Name}:x:{Uid}:{Gid}:{Comment}:{Home}:{Shell}";
}

/// <summary>A line of /etc/group: name:password:gid:member,member.</summary>
public sealed record GroupEntry(string Name, int Gid, IReadOnlyList<string> Members)
{
    public override string ToString() => $"{Name}:x:{Gid}:{string.Join(',', Members)}";
}

/// <summary>
/// Users and groups of an image, from its /etc/passwd and /etc/group: the one reading of them for
/// owners, dpkg's stat overrides and the run-image contract. Parsing is tolerant, like the C
/// library's: comments, blank and malformed lines are skipped, and the first line naming an
/// account wins.
/// </summary>
public sealed class AccountDatabase
{
    /// <summary>Larger account files are refused (MOD2106) rather than read into memory.</summary>
    public const long MaxFileBytes = 1 << 20;

    public static readonly UnixPath PasswdPath = UnixPath.Parse("/etc/passwd");
    public static readonly UnixPath GroupPath = UnixPath.Parse("/etc/group");
    public static readonly UnixPath ShadowPath = UnixPath.Parse("/etc/shadow");
    public static readonly UnixPath GshadowPath = UnixPath.Parse("/etc/gshadow");

    private AccountDatabase(IReadOnlyList<PasswdEntry> users, IReadOnlyList<GroupEntry> groups)
    {
        Users = users;
        Groups = groups;
    }

    /// <summary>The users, in file order; a name listed twice is listed twice.</summary>
    public IReadOnlyList<PasswdEntry> Users { get; }

    /// <summary>The groups, in file order.</summary>
    public IReadOnlyList<GroupEntry> Groups { get; }

    /// <summary>Whether <paramref name="path"/> is one of the account files (passwd, group and their shadows).</summary>
    public static bool IsAccountFile(UnixPath path) => path == PasswdPath || path == GroupPath || path == ShadowPath || path == GshadowPath;

    /// <summary>The accounts of an image; an image without the files has none.</summary>
    public static AccountDatabase FromFileSystem(ImageFileSystem fileSystem) =>
        Parse(Text(fileSystem.ReadFile(PasswdPath, MaxFileBytes)), Text(fileSystem.ReadFile(GroupPath, MaxFileBytes)));

    /// <summary>Parses the text of /etc/passwd and /etc/group (either may be empty or missing).</summary>
    public static AccountDatabase Parse(string? passwd, string? group) => new(ParsePasswd(passwd), ParseGroup(group));

    public static IReadOnlyList<PasswdEntry> ParsePasswd(string? text) =>
        Records(text, minFields: 7)
            .Where(f => TryId(f[2], out _) && TryId(f[3], out _))
            .Select(f => new PasswdEntry(f[0], Id(f[2]), Id(f[3]), f[4], f[5], f[6]))
            .ToArray();

    public static IReadOnlyList<GroupEntry> ParseGroup(string? text) =>
        Records(text, minFields: 4)
            .Where(f => TryId(f[2], out _))
            .Select(f => new GroupEntry(f[0], Id(f[2]), f[3].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
            .ToArray();

    /// <summary>The first user named <paramref name="name"/>, as the C library finds it.</summary>
    public PasswdEntry? User(string name) => Users.FirstOrDefault(u => u.Name == name);

    /// <summary>The first group named <paramref name="name"/>.</summary>
    public GroupEntry? Group(string name) => Groups.FirstOrDefault(g => g.Name == name);

    public int? FindUserId(string name) => User(name)?.Uid;

    public int? FindGroupId(string name) => Group(name)?.Gid;

    /// <summary>The primary group id of a user, or null when the user is unknown.</summary>
    public int? PrimaryGroupOf(string userName) => User(userName)?.Gid;

    private static IEnumerable<string[]> Records(string? text, int minFields) =>
        (text ?? string.Empty).Split('\n')
            .Select(line => line.TrimEnd('\r'))
            .Where(line => line.Length > 0 && line[0] != '#')
            .Select(line => line.Split(':'))
            .Where(fields => fields.Length >= minFields && fields[0].Length > 0);

    private static bool TryId(string value, out int id) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out id);

    private static int Id(string value) => int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);

    private static string Text(byte[]? content) => content is null ? string.Empty : Encoding.UTF8.GetString(content);
}
