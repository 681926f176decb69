using Modulus.Diagnostics;

namespace Modulus.Contract;

/// <summary>
/// The rules of the build-image standard that run images do not have, in the order
/// docs/contract.md lists them. A build image is held to the run standard's account, file-system,
/// volume, user, command and architecture rules as well (MOD4001-MOD4070), with the same codes.
/// </summary>
public static class BuildRules
{
    public static readonly ContractRule Environment = new(Errors.BuildEnvironment, ContractSeverity.Error);
    public static readonly ContractRule BuildMissing = new(Errors.BuildMissing, ContractSeverity.Error);
    public static readonly ContractRule BuildNotExecutable = new(Errors.BuildNotExecutable, ContractSeverity.Error);
    public static readonly ContractRule InterpreterMissing = new(Errors.BuildInterpreterMissing, ContractSeverity.Error);
    public static readonly ContractRule CommandWithoutInit = new(Errors.BuildCommandWithoutInit, ContractSeverity.Error);

    /// <summary>The run standard's rules a build image is checked against too.</summary>
    public static IReadOnlyList<ContractRule> Shared { get; } =
    [
        ContractRules.UserMissing, ContractRules.GroupMissing, ContractRules.AccountMismatch, ContractRules.AccountPrivileged, ContractRules.ShellMissing,
        ContractRules.WritableByMop, ContractRules.StickyWorldWritable, ContractRules.SetuidFile,
        ContractRules.VolumeNotDeclared, ContractRules.ShippedUnderVolume,
        ContractRules.CommandMissing, ContractRules.UserIsRoot, ContractRules.UserUnknown, ContractRules.WrongArchitecture,
    ];

    public static IReadOnlyList<ContractRule> All { get; } = [Environment, BuildMissing, BuildNotExecutable, InterpreterMissing, CommandWithoutInit];
}
