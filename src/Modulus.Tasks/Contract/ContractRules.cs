using Modulus.Diagnostics;

namespace Modulus.Contract;

/// <summary>
/// A rule of the standard: its code, whether breaking it is an error or a warning, and what a
/// broken rule is about (the image, or the project's start command, whose line it points at).
/// </summary>
public sealed record ContractRule(ErrorCode Error, ContractSeverity Severity, ContractSubject Subject = ContractSubject.Image);

/// <summary>What a diagnostic is about, so that it can point where the fix belongs.</summary>
public enum ContractSubject
{
    /// <summary>The image as a whole: the project that builds it.</summary>
    Image,

    /// <summary>The project's ModulusStartCommand or ModulusStartScript.</summary>
    Start,
}

/// <summary>Every rule the validator checks, in the order docs/contract.md lists them.</summary>
public static class ContractRules
{
    public static readonly ContractRule UserMissing = new(Errors.ContractUserMissing, ContractSeverity.Error);
    public static readonly ContractRule GroupMissing = new(Errors.ContractGroupMissing, ContractSeverity.Error);
    public static readonly ContractRule AccountMismatch = new(Errors.ContractAccountMismatch, ContractSeverity.Error);
    public static readonly ContractRule AccountPrivileged = new(Errors.ContractAccountPrivileged, ContractSeverity.Error);
    public static readonly ContractRule ShellMissing = new(Errors.ContractShellMissing, ContractSeverity.Error);
    public static readonly ContractRule WritableByMop = new(Errors.ContractWritableByMop, ContractSeverity.Error);

    /// <summary>A warning: the standard moves temp files to the volume, but a sticky /tmp is not a hole by itself.</summary>
    public static readonly ContractRule StickyWorldWritable = new(Errors.ContractStickyWorldWritable, ContractSeverity.Warning);

    /// <summary>A warning: mop cannot abuse a setuid file it cannot write, but a run image rarely needs one.</summary>
    public static readonly ContractRule SetuidFile = new(Errors.ContractSetuidFile, ContractSeverity.Warning);

    public static readonly ContractRule VolumeNotDeclared = new(Errors.ContractVolumeNotDeclared, ContractSeverity.Error);
    public static readonly ContractRule ShippedUnderVolume = new(Errors.ContractShippedUnderVolume, ContractSeverity.Error);
    public static readonly ContractRule Environment = new(Errors.ContractEnvironment, ContractSeverity.Error);
    public static readonly ContractRule StartMissing = new(Errors.ContractStartMissing, ContractSeverity.Error);
    public static readonly ContractRule StartNotExecutable = new(Errors.ContractStartNotExecutable, ContractSeverity.Error);
    public static readonly ContractRule InterpreterMissing = new(Errors.ContractInterpreterMissing, ContractSeverity.Error);
    public static readonly ContractRule SupervisordMissing = new(Errors.ContractSupervisordMissing, ContractSeverity.Error);
    public static readonly ContractRule SupervisorConfig = new(Errors.ContractSupervisorConfig, ContractSeverity.Error);
    public static readonly ContractRule CommandMissing = new(Errors.ContractCommandMissing, ContractSeverity.Error);
    public static readonly ContractRule UserIsRoot = new(Errors.ContractUserIsRoot, ContractSeverity.Error);
    public static readonly ContractRule UserUnknown = new(Errors.ContractUserUnknown, ContractSeverity.Error);
    public static readonly ContractRule WrongArchitecture = new(Errors.ContractWrongArchitecture, ContractSeverity.Error);

    // The build-time proof of start (StartRules): what the project's start runs is in the image.
    public static readonly ContractRule StartProgramMissing = new(Errors.StartProgramMissing, ContractSeverity.Error, ContractSubject.Start);
    public static readonly ContractRule StartProgramNotFile = new(Errors.StartProgramNotFile, ContractSeverity.Error, ContractSubject.Start);
    public static readonly ContractRule StartProgramNotExecutable = new(Errors.StartProgramNotExecutable, ContractSeverity.Error, ContractSubject.Start);
    public static readonly ContractRule StartProgramInterpreterMissing = new(Errors.StartProgramInterpreterMissing, ContractSeverity.Error, ContractSubject.Start);
    public static readonly ContractRule StartScriptInterpreterMissing = new(Errors.StartScriptInterpreterMissing, ContractSeverity.Error, ContractSubject.Start);

    public static IReadOnlyList<ContractRule> All { get; } =
    [
        UserMissing, GroupMissing, AccountMismatch, AccountPrivileged, ShellMissing,
        WritableByMop, StickyWorldWritable, SetuidFile,
        VolumeNotDeclared, ShippedUnderVolume, Environment,
        StartMissing, StartNotExecutable, InterpreterMissing,
        SupervisordMissing, SupervisorConfig, CommandMissing, UserIsRoot, UserUnknown, WrongArchitecture,
        StartProgramMissing, StartProgramNotFile, StartProgramNotExecutable, StartProgramInterpreterMissing, StartScriptInterpreterMissing,
    ];
}
