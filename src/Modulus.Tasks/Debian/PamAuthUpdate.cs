using System.Text;
using System.Text.RegularExpressions;
using Modulus.Layers;

namespace Modulus.Debian;

/// <summary>
/// What libpam-runtime's postinst does with pam-auth-update on a first install: each
/// /etc/pam.d/common-* file is its /usr/share/pam template with the enabled profiles of
/// /usr/share/pam-configs filled in (highest Priority first). In the Primary block each
/// "success=end" jumps past the rest of the block, and the first module uses its "-Initial"
/// lines, as pam-auth-update writes them.
/// </summary>
public static partial class PamAuthUpdate
{
    private const string Templates = "/usr/share/pam/";
    private const string Profiles = "/usr/share/pam-configs/";

    private static readonly (string File, string Type, string Field, bool NonInteractive)[] Stacks =
    [
        ("common-auth", "auth", "Auth", false),
        ("common-account", "account", "Account", false),
        ("common-password", "password", "Password", false),
        ("common-session", "session", "Session", false),
        ("common-session-noninteractive", "session", "Session", true),
    ];

    public static void Apply(InstallTree tree, Func<UnixPath, bool> baseHas)
    {
        var profiles = tree.ToEntries()
            .Where(e => e is FileEntry && e.Path.Parent is { } p && p.Value + "/" == Profiles)
            .Select(e => ControlParagraph.ParseAll(Read((FileEntry)e)).FirstOrDefault())
            .OfType<ControlParagraph>()
            .Where(p => string.Equals(p["Default"], "yes", StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(p => int.TryParse(p["Priority"], out var priority) ? priority : 0)
            .ThenBy(p => p.Get("Name"), StringComparer.Ordinal)
            .ToList();
        foreach (var (file, type, field, nonInteractive) in Stacks)
        {
            var target = UnixPath.Parse("/etc/pam.d/" + file);
            if (baseHas(target) || tree.Get(UnixPath.Parse(Templates + file)) is not FileEntry template) continue;
            var enabled = profiles.Where(p => !(nonInteractive && string.Equals(p["Session-Interactive-Only"], "yes", StringComparison.OrdinalIgnoreCase))).ToList();
            var primary = Lines(enabled, field, "Primary", type);
            var additional = Lines(enabled, field, "Additional", type);
            var text = Read(template)
                .Replace($"${type}_primary", string.Join("\n", primary))
                .Replace($"${type}_additional", string.Join("\n", additional));
            tree.Put(new FileEntry(target, FileContent.FromText(text)));
        }
    }

    /// <summary>The module lines of one block, the first profile's "-Initial" variant when it has one.</summary>
    private static List<string> Lines(List<ControlParagraph> profiles, string field, string kind, string type)
    {
        var lines = new List<string>();
        foreach (var profile in profiles.Where(p => string.Equals(p[field + "-Type"], kind, StringComparison.OrdinalIgnoreCase)))
        {
            var body = (lines.Count == 0 && profile[field + "-Initial"] is { } initial ? initial : profile[field]) ?? string.Empty;
            lines.AddRange(body.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => type + "\t" + l));
        }
        if (kind != "Primary") return lines;
        // With no Primary module, pam-auth-update jumps over the block's pam_deny fallback.
        if (lines.Count == 0) return [type + "\t[default=1]\t\t\tpam_permit.so"];
        // "success=end" skips the rest of the Primary block: the lines after it and the pam_deny fallback.
        return lines.Select((line, i) => End().Replace(line, $"success={lines.Count - i}")).ToList();
    }

    private static string Read(FileEntry file)
    {
        using var reader = new StreamReader(file.Content.OpenRead());
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"success=end")]
    private static partial Regex End();
}
