namespace Modulus.MSBuild;

/// <summary>The run-image contract's inputs (docs/contract.md); empty means the standard's default.</summary>
public sealed partial class PublishModulusImage
{
    /// <summary>ModulusImageKind: run or build (that standard is generated and enforced) or plain; case-insensitive.</summary>
    public string? ImageKind { get; set; }

    /// <summary>ModulusUserName: the image user's name (mop).</summary>
    public string? UserName { get; set; }

    /// <summary>ModulusUserId: the image user's uid (441).</summary>
    public string? UserId { get; set; }

    /// <summary>ModulusGroupName: the image user's group (mop).</summary>
    public string? GroupName { get; set; }

    /// <summary>ModulusGroupId: the group's gid (444).</summary>
    public string? GroupId { get; set; }

    /// <summary>ModulusUserHome: the user's home, under /mnt (/mnt/home).</summary>
    public string? UserHome { get; set; }

    /// <summary>ModulusUserShell: the user's login shell (/bin/bash).</summary>
    public string? UserShell { get; set; }

    /// <summary>ModulusUserComment: the user's comment field.</summary>
    public string? UserComment { get; set; }

    /// <summary>ModulusStartDirectory: the folder that holds start, first on PATH (/opt/modulus/bin).</summary>
    public string? StartDirectory { get; set; }

    /// <summary>ModulusStartCommand: the command line the generated start runs.</summary>
    public string? StartCommand { get; set; }

    /// <summary>ModulusStartWorkingDirectory: where the generated start runs its command (/mnt/app).</summary>
    public string? StartWorkingDirectory { get; set; }

    /// <summary>ModulusStartScript: a project file copied into the image as start.</summary>
    public string? StartScript { get; set; }

    /// <summary>ModulusBuildScript: a project file copied into a build image as build.</summary>
    public string? BuildScript { get; set; }

    /// <summary>ModulusLogMaxBytes: the size at which logs rotate, such as 50MB.</summary>
    public string? LogMaxBytes { get; set; }

    /// <summary>ModulusLogBackups: rotated logs kept (10).</summary>
    public string? LogBackups { get; set; }

    /// <summary>ModulusStopTimeout: seconds my_init waits for supervisord after SIGTERM (8).</summary>
    public string? StopTimeout { get; set; }
}
