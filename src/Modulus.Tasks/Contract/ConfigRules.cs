using Modulus.Images;
using Modulus.Oci;

namespace Modulus.Contract;

/// <summary>The image config declares the volume and the environment, and does not run as root.</summary>
internal static class ConfigRules
{
    public static void Check(ImageConfig config, AccountDatabase accounts, RunImageStandard s, ContractReport report) =>
        Check(config, accounts, s, s.Environment, ContractRules.Environment, report);

    /// <summary>As above, with the variables the standard sets (each must have its value) and the rule a differing one breaks.</summary>
    public static void Check(ImageConfig config, AccountDatabase accounts, RunImageStandard s, IReadOnlyList<KeyValuePair<string, string>> environment,
        ContractRule environmentRule, ContractReport report)
    {
        var volumes = config.Volumes.Select(v => v.TrimEnd('/')).ToArray();
        if (!volumes.Contains(s.Volume.Value))
            report.Add(ContractRules.VolumeNotDeclared, [s.Volume], s.Volume, volumes.Length == 0 ? "none" : string.Join(", ", volumes));

        var wrong = environment
            .Select(v => (v.Key, Expected: v.Value, Actual: config.GetEnv(v.Key)))
            .Where(v => v.Actual != v.Expected)
            .Select(v => v.Actual is null ? $"{v.Key} is not set (standard: {v.Expected})" : $"{v.Key}={v.Actual} (standard: {v.Expected})")
            .ToArray();
        if (wrong.Length > 0) report.Add(environmentRule, [], string.Join(", ", wrong));

        CheckUser(config.User, accounts, s, report);
    }

    /// <summary>An unset User, "root", uid 0 or a name with uid 0 all run the container as root.</summary>
    private static void CheckUser(string? configured, AccountDatabase accounts, RunImageStandard s, ContractReport report)
    {
        var user = (configured ?? string.Empty).Split(':')[0];
        if (user.Length == 0 || (int.TryParse(user, out var uid) && uid == 0))
        {
            report.Add(ContractRules.UserIsRoot, [], configured ?? string.Empty, s.User);
            return;
        }
        if (user.All(char.IsAsciiDigit)) return;
        var entry = accounts.User(user);
        // A missing mop is reported once, by the account rules.
        if (entry is null && user == s.UserName) return;
        if (entry is null) report.Add(ContractRules.UserUnknown, [AccountDatabase.PasswdPath], user, s.User);
        else if (entry.Uid == 0) report.Add(ContractRules.UserIsRoot, [], configured, s.User);
    }
}
