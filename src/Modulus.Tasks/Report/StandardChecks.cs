using Modulus.Contract;

namespace Modulus.Report;

/// <summary>The standard's rules as the report's checks table lists them: each with a short name and its verdict.</summary>
public static class StandardChecks
{
    /// <summary>At most this many paths of one finding are listed on the page; the message counts the rest.</summary>
    public const int PathsListed = 50;

    private static readonly Dictionary<ContractRule, string> Names = new()
    {
        [ContractRules.UserMissing] = "The mop user exists",
        [ContractRules.GroupMissing] = "The mop group exists",
        [ContractRules.AccountMismatch] = "mop has the standard's ids, home and group",
        [ContractRules.AccountPrivileged] = "No other account has uid or gid 0",
        [ContractRules.ShellMissing] = "mop's shell is in the image",
        [ContractRules.WritableByMop] = "mop can write only under the volume",
        [ContractRules.StickyWorldWritable] = "No sticky world-writable folder",
        [ContractRules.SetuidFile] = "No setuid or setgid file",
        [ContractRules.VolumeNotDeclared] = "The volume is declared",
        [ContractRules.ShippedUnderVolume] = "Nothing is shipped under the volume",
        [ContractRules.Environment] = "The standard's environment is set",
        [ContractRules.StartMissing] = "start is on PATH",
        [ContractRules.StartNotExecutable] = "start is executable",
        [ContractRules.InterpreterMissing] = "Interpreters of start and the command exist",
        [ContractRules.SupervisordMissing] = "supervisord is in the image",
        [ContractRules.SupervisorConfig] = "supervisord's configuration includes /mnt/supervisor.conf",
        [ContractRules.CommandMissing] = "The command (the init) exists",
        [ContractRules.UserIsRoot] = "The config's user is not root",
        [ContractRules.UserUnknown] = "The config's user is known",
        [ContractRules.WrongArchitecture] = "Programs are of the image's architecture",
        [ContractRules.StartProgramMissing] = "What the project's start runs is in the image",
        [ContractRules.StartProgramNotFile] = "What the project's start runs is a file",
        [ContractRules.StartProgramNotExecutable] = "What the project's start runs is executable",
        [ContractRules.StartProgramInterpreterMissing] = "The interpreter of what start runs exists",
        [ContractRules.StartScriptInterpreterMissing] = "The interpreter of the start script exists",
        [BuildRules.Environment] = "The build standard's environment is set",
        [BuildRules.BuildMissing] = "build is on PATH",
        [BuildRules.BuildNotExecutable] = "build is executable",
        [BuildRules.InterpreterMissing] = "The interpreter of build exists",
        [BuildRules.CommandWithoutInit] = "The command starts with the init",
    };

    /// <summary>The short name of <paramref name="rule"/>.</summary>
    public static string NameOf(ContractRule rule) => Names[rule];

    /// <summary>
    /// Every rule of the image's standard with its verdict from <paramref name="findings"/>: for a
    /// build image (<paramref name="build"/>) the run rules it shares and the build rules; the rules
    /// about the project's start are "not checked" when the project declared none
    /// (<paramref name="startChecked"/> false).
    /// </summary>
    public static IReadOnlyList<CheckRow> Rows(IReadOnlyList<ContractDiagnostic> findings, bool startChecked, bool build = false) =>
        (build ? BuildRules.Shared.Concat(BuildRules.All) : ContractRules.All).Select(rule =>
        {
            var found = findings.Where(f => f.Error == rule.Error).ToArray();
            if (found.Length == 0)
                return new CheckRow(rule.Error.Code, NameOf(rule), rule.Subject == ContractSubject.Start && !startChecked ? "not checked" : "pass", null, []);
            var verdict = found.Any(f => f.Severity == ContractSeverity.Error) ? "error" : "warning";
            return new CheckRow(rule.Error.Code, NameOf(rule), verdict, string.Join("\n", found.Select(f => f.Text)),
                found.SelectMany(f => f.Paths).Select(p => p.Value).Distinct(StringComparer.Ordinal).Take(PathsListed).ToArray());
        }).ToArray();
}
