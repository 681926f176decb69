using System.Globalization;
using Microsoft.Build.Framework;
using Modulus.Contract;
using Modulus.Diagnostics;
using Modulus.Plan;
using Modulus.Images;

namespace Modulus.MSBuild;

/// <summary>
/// Maps the Container* config settings (environment, labels, volumes, ports, user, working folder,
/// command) to <see cref="ConfigChanges"/>, each error at its item or property. In a run image the
/// standard decides the user and the command, so only the standard's are accepted.
/// </summary>
internal sealed class ConfigMapping(PublishModulusImage task, ItemLocator locator)
{
    /// <param name="contract">The image's contract, which decides the user and the command of a run image.</param>
    /// <param name="contractKnown">
    /// False when the contract was made from a placeholder: the user and the command, checked
    /// against it, are then not checked, so no error follows from one already reported.
    /// </param>
    public ConfigChanges ToConfig(ContractPlan contract, bool contractKnown = true)
    {
        var (entrypoint, cmd) = contractKnown ? Command(contract) : (null, null);
        return new ConfigChanges
        {
            Environment = task.EnvironmentVariables
                .Select(i => locator.Read(i, "ContainerEnvironmentVariable",
                    () => KeyValuePair.Create(ConfigInputs.EnvironmentVariableName(i.ItemSpec), i.GetMetadata("Value"))))
                .ToArray(),
            Labels = task.Labels
                .Select(i => locator.Read(i, "ContainerLabel", () => KeyValuePair.Create(ConfigInputs.LabelName(i.ItemSpec), i.GetMetadata("Value"))))
                .Where(l => l.Key is not null)
                .GroupBy(l => l.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal),
            Volumes = task.Volumes.Select(i => locator.Read(i, "ModulusVolume", () => ConfigInputs.ContainerPath(i.ItemSpec, "ModulusVolume"))).ToArray(),
            ExposedPorts = task.Ports.Select(i => locator.Read(i, "ContainerPort", () => ConfigInputs.Port(i.ItemSpec, i.GetMetadata("Type")))).ToArray(),
            User = string.IsNullOrWhiteSpace(task.User) || !contractKnown ? null : locator.ReadProperty("ContainerUser", () => RunImageUser(contract, task.User.Trim())),
            WorkingDir = string.IsNullOrWhiteSpace(task.WorkingDirectory)
                ? null
                : locator.ReadProperty("ContainerWorkingDirectory", () => ConfigInputs.ContainerPath(task.WorkingDirectory, "ContainerWorkingDirectory")),
            Entrypoint = entrypoint,
            Cmd = cmd,
        };
    }

    /// <summary>
    /// Entrypoint and Cmd by the .NET SDK's rules (<see cref="ContainerCommand"/>); null keeps the
    /// base image's. A run image's command is the standard's, so there any of these is refused.
    /// </summary>
    private (IReadOnlyList<string>? Entrypoint, IReadOnlyList<string>? Cmd) Command(ContractPlan contract)
    {
        var items = new (string Type, ITaskItem[] Items)[]
        {
            ("ContainerAppCommand", task.AppCommand), ("ContainerAppCommandArgs", task.AppCommandArgs), ("ContainerDefaultArgs", task.DefaultArgs),
            ("ContainerEntrypoint", task.Entrypoint), ("ContainerEntrypointArgs", task.EntrypointArgs),
        };
        if (contract.Kind == ImageKind.Run)
        {
            var command = string.Join(' ', contract.Standard.Command);
            var (type, at) = items.FirstOrDefault(i => i.Items.Length > 0) is { Items: not null } set
                ? (set.Type, locator.Of(set.Items[0], set.Type))
                : string.IsNullOrWhiteSpace(task.AppCommandInstruction) ? (null, null) : ("ContainerAppCommandInstruction", locator.OfProperty("ContainerAppCommandInstruction"));
            if (type is not null) locator.Check(at!, () => throw new ModulusException(Errors.RunImageCommand, type, command));
            return (null, null);
        }
        var location = items.FirstOrDefault(i => i.Items.Length > 0) is { Items: not null } first ? locator.Of(first.Items[0], first.Type) : locator.OfProperty("ContainerAppCommandInstruction");
        return locator.At<(IReadOnlyList<string>?, IReadOnlyList<string>?)>(location, () => ContainerCommand.Resolve(Words(task.Entrypoint),
            Words(task.EntrypointArgs), Words(task.AppCommand), Words(task.AppCommandArgs), Words(task.DefaultArgs), task.AppCommandInstruction));
    }

    /// <summary>In a run image, ContainerUser may only name the standard's user (by name or uid, with its group or gid).</summary>
    private static string RunImageUser(ContractPlan contract, string user)
    {
        if (contract.Kind != ImageKind.Run) return user;
        var s = contract.Standard;
        var parts = user.Split(':', 2);
        var isUser = parts[0] == s.UserName || parts[0] == s.Uid.ToString(CultureInfo.InvariantCulture);
        var isGroup = parts.Length == 1 || parts[1] == s.GroupName || parts[1] == s.Gid.ToString(CultureInfo.InvariantCulture);
        return isUser && isGroup ? user : throw new ModulusException(Errors.RunImageUser, user, s.UserName, s.Uid);
    }

    private static IReadOnlyList<string> Words(ITaskItem[] items) => items.Select(i => i.ItemSpec).ToArray();
}
