using Modulus.Contract;
using Modulus.Diagnostics;

namespace Modulus.Plan;

/// <summary>
/// The standard an image follows and where its <c>start</c> comes from. The command is checked
/// when the plan is made; the script stays a host path so that the publisher reads it (and
/// reports a missing one) and the fingerprint sees its size and time.
/// </summary>
public sealed record ContractPlan
{
    /// <summary>No standard: nothing is generated or validated. What a plan without a contract means.</summary>
    public static ContractPlan Plain { get; } = new() { Kind = ImageKind.Plain };

    public required ImageKind Kind { get; init; }

    public RunImageStandard Standard { get; init; } = RunImageStandard.Default;

    /// <summary>
    /// ModulusStartCommand, run by the generated start in ModulusStartWorkingDirectory (the app
    /// directory when that is null).
    /// </summary>
    public StartSpec.Command? StartCommand { get; init; }

    /// <summary>ModulusStartScript: the full host path of a script copied as start.</summary>
    public string? StartScript { get; init; }

    /// <summary>ModulusBuildScript: the full host path of a program copied as a build image's build.</summary>
    public string? BuildScript { get; init; }

    /// <summary>A build image's standard: the run standard's account, volume and folders, with the input and output folders.</summary>
    public BuildImageStandard BuildStandard => BuildImageStandard.Default with { Common = Standard };

    /// <summary>Where the image kind is set; contract diagnostics point here (the project file).</summary>
    public SourceLocation Location { get; init; } = SourceLocation.Unknown;

    /// <summary>Where ModulusStartCommand or ModulusStartScript is set: the proof of start points here.</summary>
    public SourceLocation StartLocation { get; init; } = SourceLocation.Unknown;

    /// <summary>The start the image gets: the script, else the command, else the generic start that runs the app's own.</summary>
    /// <summary>A build image's build: the project's program, else the generic build that runs the source's own.</summary>
    public BuildSpec Build() => BuildScript is not null ? BuildSpec.FromScript(BuildScript) : BuildSpec.Generic;

    public StartSpec Start() =>
        StartScript is not null ? StartSpec.FromScript(StartScript)
        : StartCommand ?? StartSpec.Generic;
}
