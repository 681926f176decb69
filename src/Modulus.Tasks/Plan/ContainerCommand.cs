using Modulus.Diagnostics;

namespace Modulus.Plan;

/// <summary>
/// The image's Entrypoint and Cmd from the .NET SDK's items, by the .NET SDK's rules:
/// ContainerAppCommand (+Args) is how the app starts, ContainerDefaultArgs what <c>docker run</c>
/// may replace, ContainerEntrypoint (+Args) the older way, and ContainerAppCommandInstruction says
/// where the app command goes: <c>Entrypoint</c> (the default), <c>DefaultArgs</c> (into Cmd,
/// after an entrypoint, the default when ContainerEntrypoint is set) or <c>None</c>. Null means
/// "keep the base image's value".
/// </summary>
public static class ContainerCommand
{
    public const string Entrypoint = "Entrypoint";
    public const string DefaultArgs = "DefaultArgs";
    public const string None = "None";

    public static (IReadOnlyList<string>? Entrypoint, IReadOnlyList<string>? Cmd) Resolve(
        IReadOnlyList<string> entrypoint, IReadOnlyList<string> entrypointArgs, IReadOnlyList<string> appCommand,
        IReadOnlyList<string> appCommandArgs, IReadOnlyList<string> defaultArgs, string? instruction)
    {
        var setsEntrypoint = entrypoint.Count > 0 || entrypointArgs.Count > 0;
        var cmd = defaultArgs;
        var chosen = instruction?.Trim() is { Length: > 0 } given ? Known(given) : null;
        if (chosen is null && setsEntrypoint && entrypoint.Count == 0 && defaultArgs.Count == 0 && appCommandArgs.Count == 0)
        {
            // The form older .NET SDKs understood: the app command is the entrypoint and
            // ContainerEntrypointArgs its default arguments.
            (entrypoint, cmd, entrypointArgs, appCommand) = (appCommand, entrypointArgs, [], []);
            chosen = None;
        }
        chosen ??= setsEntrypoint ? DefaultArgs : Entrypoint;

        if (entrypointArgs.Count > 0 && entrypoint.Count == 0)
            throw Inconsistent("ContainerEntrypointArgs is set without ContainerEntrypoint");
        if (appCommandArgs.Count > 0 && appCommand.Count == 0)
            throw Inconsistent("ContainerAppCommandArgs is set without ContainerAppCommand");
        switch (chosen)
        {
            case None when appCommand.Count > 0:
                throw Inconsistent("ContainerAppCommandInstruction is None, so ContainerAppCommand would not be used");
            case DefaultArgs:
                cmd = [.. appCommand, .. appCommandArgs, .. cmd];
                break;
            case Entrypoint when setsEntrypoint:
                throw Inconsistent("ContainerAppCommandInstruction is Entrypoint, so ContainerEntrypoint has no place");
            case Entrypoint:
                (entrypoint, entrypointArgs) = (appCommand, appCommandArgs);
                break;
        }
        return (entrypoint.Count > 0 ? [.. entrypoint, .. entrypointArgs] : null, cmd.Count > 0 ? cmd : null);
    }

    private static string Known(string instruction) =>
        new[] { Entrypoint, DefaultArgs, None }.FirstOrDefault(k => k.Equals(instruction, StringComparison.OrdinalIgnoreCase))
        ?? throw Inconsistent($"ContainerAppCommandInstruction '{instruction}' is not one of Entrypoint, DefaultArgs and None");

    private static ModulusException Inconsistent(string why) => new(Errors.ContainerCommandInconsistent, why);
}
