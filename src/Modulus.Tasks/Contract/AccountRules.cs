using Modulus.Images;
using Modulus.Layers;

namespace Modulus.Contract;

/// <summary>The mop user and group exist with the standard's ids, home and shell, and are not root.</summary>
internal static class AccountRules
{
    public static void Check(ImageFileSystem fs, AccountDatabase accounts, RunImageStandard s, MopIdentity mop, ContractReport report)
    {
        var user = accounts.User(s.UserName);
        var group = accounts.Group(s.GroupName);
        if (user is null) report.Add(ContractRules.UserMissing, [AccountDatabase.PasswdPath], s.UserName, s.Uid);
        if (group is null) report.Add(ContractRules.GroupMissing, [AccountDatabase.GroupPath], s.GroupName, s.Gid);

        var privileged = new List<string>();
        if (user?.Uid == 0) privileged.Add("uid 0");
        if (user?.Gid == 0) privileged.Add("primary gid 0");
        if (group?.Gid == 0) privileged.Add($"group '{group.Name}' with gid 0");
        if (privileged.Count > 0) report.Add(ContractRules.AccountPrivileged, [AccountDatabase.PasswdPath, AccountDatabase.GroupPath], s.UserName, string.Join(" and ", privileged));

        // Ids of 0 are reported above as privileged; reporting them again as a mismatch would say the same twice.
        var differences = new List<string>();
        if (user is not null && user.Uid != 0 && user.Uid != s.Uid) differences.Add($"uid {user.Uid} (standard: {s.Uid})");
        if (user is not null && user.Gid != 0 && user.Gid != s.Gid) differences.Add($"primary gid {user.Gid} (standard: {s.Gid})");
        if (group is not null && group.Gid != 0 && group.Gid != s.Gid) differences.Add($"group '{group.Name}' gid {group.Gid} (standard: {s.Gid})");
        if (user is not null && user.Home != s.Home.Value) differences.Add($"home '{user.Home}' (standard: {s.Home})");
        if (user is not null && user.Shell != s.Shell.Value) differences.Add($"shell '{user.Shell}' (standard: {s.Shell})");
        if (differences.Count > 0) report.Add(ContractRules.AccountMismatch, [AccountDatabase.PasswdPath, AccountDatabase.GroupPath], s.UserName, string.Join(", ", differences));

        if (user is not null && UnixPath.TryFromTarName(user.Shell, out var shell) && ExecutableRules.FindExecutable(fs, shell, mop) is null)
            report.Add(ContractRules.ShellMissing, [shell], user.Shell, s.UserName);
    }
}
