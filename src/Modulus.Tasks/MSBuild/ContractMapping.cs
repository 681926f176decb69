using System.Globalization;
using Modulus.Contract;
using Modulus.Diagnostics;
using Modulus.Plan;
using Modulus.Layers;

namespace Modulus.MSBuild;

/// <summary>
/// Maps the ModulusImageKind, ModulusUser*, ModulusGroup*, ModulusStart* and ModulusLog* properties
/// to a <see cref="ContractPlan"/>; each bad value is an error at its property's line. An empty
/// property keeps the standard's default.
/// </summary>
internal sealed class ContractMapping(PublishModulusImage task, ItemLocator locator, string projectDirectory)
{
    public ContractPlan ToContract()
    {
        // A kind that cannot be read is taken as the default, run, so the run image's properties are still checked.
        var kind = locator.ReadProperty("ModulusImageKind", () => Kind(task.ImageKind), ImageKind.Run);
        var projectFile = Path.GetFullPath(task.ProjectFile);
        var kindLocation = locator.OfProperty("ModulusImageKind");
        // Diagnostics about the whole image point at the project, even when the kind is the SDK's default.
        var location = kindLocation.File == projectFile ? kindLocation : new SourceLocation(projectFile);
        var buildScript = BuildScript(kind);
        if (kind == ImageKind.Plain) return ContractPlan.Plain with { Location = location };
        if (kind == ImageKind.Build) RefuseStart();

        var d = RunImageStandard.Default;
        var standard = d with
        {
            UserName = Text(task.UserName) ?? d.UserName,
            Uid = Number(task.UserId, "ModulusUserId") ?? d.Uid,
            GroupName = Text(task.GroupName) ?? d.GroupName,
            Gid = Number(task.GroupId, "ModulusGroupId") ?? d.Gid,
            Home = ContainerPath(task.UserHome, "ModulusUserHome") ?? d.Home,
            Shell = ContainerPath(task.UserShell, "ModulusUserShell") ?? d.Shell,
            Comment = Text(task.UserComment) ?? d.Comment,
            StartFolder = ContainerPath(task.StartDirectory, "ModulusStartDirectory") ?? d.StartFolder,
            LogMaxBytes = Text(task.LogMaxBytes) ?? d.LogMaxBytes,
            LogBackups = Number(task.LogBackups, "ModulusLogBackups") ?? d.LogBackups,
            StopTimeoutSeconds = Number(task.StopTimeout, "ModulusStopTimeout") ?? d.StopTimeoutSeconds,
        };
        // The image runs as the standard's user, whatever it is called.
        standard = standard with { User = standard.UserName };
        // Checked here, where its property's line (or the command line) is known; the publisher builds start from it.
        var command = Text(task.StartCommand) is { } commandLine
            ? locator.ReadProperty("ModulusStartCommand", () => StartSpec.FromCommand(commandLine))
            : null;
        var workingDirectory = ContainerPath(task.StartWorkingDirectory, "ModulusStartWorkingDirectory");
        return new ContractPlan
        {
            Kind = kind,
            Standard = standard,
            StartCommand = command is null ? null : command with { WorkingDirectory = workingDirectory },
            StartScript = kind == ImageKind.Build ? null : StartScript(),
            BuildScript = buildScript,
            Location = location,
            StartLocation = locator.OfProperty(Text(task.StartScript) is null ? "ModulusStartCommand" : "ModulusStartScript"),
        };
    }

    /// <summary>Empty means run, the SDK's default.</summary>
    private static ImageKind Kind(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "run" => ImageKind.Run,
        "build" => ImageKind.Build,
        "plain" => ImageKind.Plain,
        _ => throw new ModulusException(Errors.InvalidImageKind, value),
    };

    /// <summary>ModulusBuildScript's full path; only a build image has a build program.</summary>
    private string? BuildScript(ImageKind kind)
    {
        if (Text(task.BuildScript) is not { } script) return null;
        return locator.ReadProperty("ModulusBuildScript", () =>
        {
            if (kind != ImageKind.Build) throw new ModulusException(Errors.BuildScriptOnOtherKind, script, kind.ToString().ToLowerInvariant());
            var full = Path.GetFullPath(script, projectDirectory);
            return File.Exists(full) ? full : throw new ModulusException(Errors.BuildScriptMissing, full);
        });
    }

    /// <summary>A build image has no start: the platform runs build. A start setting there is a mistake, said at its line.</summary>
    private void RefuseStart()
    {
        foreach (var (property, value) in new[] { ("ModulusStartCommand", task.StartCommand), ("ModulusStartScript", task.StartScript) })
            if (Text(value) is not null) locator.ReadProperty<object?>(property, () => throw new ModulusException(Errors.BuildImageStart, property));
    }

    private string? StartScript()
    {
        if (Text(task.StartScript) is not { } script) return null;
        return locator.ReadProperty("ModulusStartScript", () =>
        {
            if (Text(task.StartCommand) is not null) throw new ModulusException(Errors.StartCommandAndScriptBoth, script);
            var full = Path.GetFullPath(script, projectDirectory);
            return File.Exists(full) ? full : throw new ModulusException(Errors.ContractStartScriptMissing, full);
        });
    }

    private int? Number(string? value, string property) =>
        Text(value) is not { } text
            ? null
            : locator.ReadProperty(property, () => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                ? number
                : throw new ModulusException(Errors.InvalidContractNumber, property, text, Example(property)));

    private UnixPath? ContainerPath(string? value, string property) =>
        Text(value) is not { } text ? null : locator.ReadProperty(property, () => UnixPath.Parse(text, property));

    /// <summary>The error's example is the standard's default, so the two cannot drift apart.</summary>
    private static string Example(string property) => (property switch
    {
        "ModulusUserId" => RunImageStandard.Default.Uid,
        "ModulusGroupId" => RunImageStandard.Default.Gid,
        "ModulusLogBackups" => RunImageStandard.Default.LogBackups,
        _ => RunImageStandard.Default.StopTimeoutSeconds,
    }).ToString(CultureInfo.InvariantCulture);

    private static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
