using System.Globalization;
using System.Text.RegularExpressions;
using Modulus.Diagnostics;
using Modulus.Images;

namespace Modulus.Plan;

/// <summary>
/// The Owner metadata: <c>user[:group]</c>, each part a number or a name. As in Docker, a numeric
/// user alone also sets the group to the same number, and a user name alone takes the user's
/// primary group.
/// </summary>
public sealed partial record OwnerSpec(string User, string? Group)
{
    /// <summary>Root, which owns everything nobody gave an Owner.</summary>
    public static readonly OwnerSpec Root = new("0", "0");

    /// <summary>Whether resolving needs the image's /etc/passwd or /etc/group.</summary>
    public bool UsesNames => !IsNumber(User) || (Group is not null && !IsNumber(Group));

    /// <summary>Checks the syntax only; names are looked up by <see cref="Resolve"/>.</summary>
    public static OwnerSpec Parse(string? text, string itemName)
    {
        if (string.IsNullOrWhiteSpace(text)) return Root;
        var parts = text.Trim().Split(':');
        if (parts.Length > 2)
            throw new ModulusException(Errors.InvalidOwner, text, itemName, "it has more than one ':'");
        foreach (var part in parts)
        {
            if (part.Length == 0)
                throw new ModulusException(Errors.InvalidOwner, text, itemName, "a part is empty");
            if (IsNumber(part)) continue;
            if (part.All(char.IsAsciiDigit))
                throw new ModulusException(Errors.InvalidOwner, text, itemName, $"{part} is larger than the largest id, {int.MaxValue}");
            if (!NamePattern().IsMatch(part))
                throw new ModulusException(Errors.InvalidOwner, text, itemName, $"'{part}' is neither a number nor a user or group name");
        }
        return new OwnerSpec(parts[0], parts.Length == 2 ? parts[1] : null);
    }

    /// <summary>
    /// The numeric ids. <paramref name="accounts"/> is asked for only when a name is used, since
    /// reading the base image's filesystem costs a pass over its layers.
    /// </summary>
    public (int Uid, int Gid) Resolve(Func<AccountDatabase> accounts, string itemName)
    {
        var text = Group is null ? User : $"{User}:{Group}";
        int uid;
        if (IsNumber(User)) uid = ParseId(User);
        else uid = accounts().FindUserId(User)
            ?? throw new ModulusException(Errors.InvalidOwner, text, itemName, $"user '{User}' is not in the image's /etc/passwd");
        int gid;
        if (Group is null)
            gid = IsNumber(User) ? uid : accounts().PrimaryGroupOf(User)
                ?? throw new ModulusException(Errors.InvalidOwner, text, itemName, $"user '{User}' has no primary group in the image");
        else if (IsNumber(Group)) gid = ParseId(Group);
        else gid = accounts().FindGroupId(Group)
            ?? throw new ModulusException(Errors.InvalidOwner, text, itemName, $"group '{Group}' is not in the image's /etc/group");
        return (uid, gid);
    }

    private static bool IsNumber(string part) =>
        part.All(char.IsAsciiDigit) && int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out _);

    private static int ParseId(string part) => int.Parse(part, NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>The names useradd accepts (shadow-utils' default rule), plus a trailing '$' for machine accounts.</summary>
    [GeneratedRegex("^[a-z_][a-z0-9_.-]*\\$?$", RegexOptions.IgnoreCase)]
    private static partial Regex NamePattern();
}
