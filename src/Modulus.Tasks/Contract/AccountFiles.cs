using Modulus.Diagnostics;
using Modulus.Images;

namespace Modulus.Contract;

/// <summary>
/// Merges the contract's accounts into an image's account files, read with
/// <see cref="AccountDatabase"/>. Lines Modulus does not understand (comments, NIS "+" entries)
/// are kept as they are.
/// </summary>
internal static class AccountFiles
{
    /// <summary>The base's passwd with <paramref name="user"/> in place of any entry of that name.</summary>
    public static string MergePasswd(string? baseText, PasswdEntry user)
    {
        var clash = AccountDatabase.ParsePasswd(baseText).FirstOrDefault(e => e.Uid == user.Uid && e.Name != user.Name);
        if (clash is not null) throw new ModulusException(Errors.ContractAccountIdClash, "user", clash.Name, user.Uid, user.Name);
        return Replace(baseText, user.Name, user.ToString());
    }

    /// <summary>The base's group file with <paramref name="group"/> in place of any entry of that name, keeping its members.</summary>
    public static string MergeGroup(string? baseText, GroupEntry group)
    {
        var existing = AccountDatabase.ParseGroup(baseText);
        var clash = existing.FirstOrDefault(e => e.Gid == group.Gid && e.Name != group.Name);
        if (clash is not null) throw new ModulusException(Errors.ContractAccountIdClash, "group", clash.Name, group.Gid, group.Name);
        var members = existing.Where(e => e.Name == group.Name).SelectMany(e => e.Members).Concat(group.Members).Distinct().ToArray();
        return Replace(baseText, group.Name, (group with { Members = members }).ToString());
    }

    /// <summary>
    /// A shadow-style file (shadow, gshadow) with <paramref name="line"/> for <paramref name="name"/>:
    /// the password field is '!', so the account can never log in with a password.
    /// </summary>
    public static string MergeShadow(string? baseText, string name, string line) => Replace(baseText, name, line);

    public static string ShadowLine(string name) => $"{name}:!::0:99999:7:::";

    public static string GshadowLine(string name) => $"{name}:!::";

    private static string Replace(string? baseText, string name, string line)
    {
        var lines = Lines(baseText).ToList();
        var index = lines.FindIndex(l => NameOf(l) == name);
        if (index < 0) lines.Add(line);
        else
        {
            lines[index] = line;
            // A name listed twice would leave the second entry shadowed and confusing.
            for (var i = lines.Count - 1; i > index; i--)
                if (NameOf(lines[i]) == name) lines.RemoveAt(i);
        }
        return string.Concat(lines.Select(l => l + "\n"));
    }

    private static string NameOf(string line) => line.Split(':')[0];

    private static IEnumerable<string> Lines(string? text) =>
        (text ?? string.Empty).Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0);
}
