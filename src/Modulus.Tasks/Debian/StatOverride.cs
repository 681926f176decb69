using System.Globalization;
using Modulus.Images;
using Modulus.Layers;

namespace Modulus.Debian;

/// <summary>
/// One line of dpkg's <c>/var/lib/dpkg/statoverride</c>: the owner and mode dpkg gives
/// <see cref="Path"/> (the path its package names) whenever it installs that file.
/// </summary>
public sealed record StatOverride(string Path, int Uid, int Gid, int Mode)
{
    public const string FilePath = "/var/lib/dpkg/statoverride";

    /// <summary>"#0 #42 755 /usr/bin/chage": dpkg reads '#' before a number as a numeric id, so no account name is needed.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"#{Uid} #{Gid} {Convert.ToString(Mode, 8)} {Path}");

    /// <summary>
    /// The text of an image's statoverride file; null when it has none.
    /// </summary>
    public static string? ReadText(ImageFileSystem? fileSystem) =>
        fileSystem?.ReadFile(UnixPath.Parse(FilePath)) is { } bytes ? System.Text.Encoding.UTF8.GetString(bytes) : null;

    /// <summary>
    /// The overrides of an image (<paramref name="text"/>, its statoverride file), with owners and groups resolved in its accounts ("root", "#0");
    /// lines that name an unknown account or are malformed are passed over, as they would stop dpkg.
    /// </summary>
    public static IReadOnlyDictionary<string, StatOverride> Parse(string? text, ImageFileSystem? fileSystem)
    {
        var result = new Dictionary<string, StatOverride>(StringComparer.Ordinal);
        if (text is null || fileSystem is null) return result;
        var accounts = AccountDatabase.FromFileSystem(fileSystem);
        foreach (var line in text.Split('\n'))
        {
            if (line.Split(' ', 4, StringSplitOptions.TrimEntries) is not [var owner, var group, var mode, var path]) continue;
            var uid = Id(owner, accounts.FindUserId);
            var gid = Id(group, accounts.FindGroupId);
            if (uid is null || gid is null || !TryOctal(mode, out var bits)) continue;
            result[path] = new StatOverride(path, uid.Value, gid.Value, bits);
        }
        return result;
    }

    /// <summary>
    /// The statoverride file: <paramref name="existing"/> kept, with the mode of its lines for
    /// <paramref name="changed"/> paths replaced (their owner and group as written), then new lines
    /// for the other changed paths, sorted by path.
    /// </summary>
    public static string Merge(string? existing, IReadOnlyList<StatOverride> changed)
    {
        var byPath = changed.ToDictionary(o => o.Path, StringComparer.Ordinal);
        var lines = new List<string>();
        foreach (var line in (existing ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Split(' ', 4) is [var owner, var group, _, var path] && byPath.Remove(path, out var ours))
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"{owner} {group} {Convert.ToString(ours.Mode, 8)} {path}"));
            else lines.Add(line);
        }
        lines.AddRange(byPath.Values.OrderBy(o => o.Path, StringComparer.Ordinal).Select(o => o.ToString()));
        return string.Join("\n", lines) + "\n";
    }

    private static int? Id(string text, Func<string, int?> byName) =>
        text.StartsWith('#') ? int.TryParse(text.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null : byName(text);

    private static bool TryOctal(string text, out int value)
    {
        value = 0;
        if (text.Length is 0 or > 5 || text.Any(c => c is < '0' or > '7')) return false;
        value = Convert.ToInt32(text, 8);
        return true;
    }
}
