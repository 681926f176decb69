using Modulus.Images;
using Modulus.Layers;
using Modulus.Oci;

namespace Modulus.Contract;

/// <summary>
/// A build image's command begins with the standard's init: a build's processes (npm, compilers,
/// test runners) leave orphans, which only PID 1 reaps, and docker stop's SIGTERM must reach build.
/// </summary>
internal static class InitRules
{
    public static void Check(ImageFileSystem fs, ImageConfig config, BuildImageStandard s, MopIdentity mop, ContractReport report)
    {
        var command = (config.Entrypoint ?? []).Concat(config.Cmd ?? []).ToArray();
        // An empty or missing command is MOD4060's to report.
        if (command.Length == 0 || command[0].Length == 0) return;
        var first = !command[0].Contains('/') ? ExecutableRules.FindOnPath(fs, ExecutableRules.SearchPath(config), command[0], mop)
            : UnixPath.TryFromTarName(command[0], out var file) ? ExecutableRules.FindExecutable(fs, file, mop)
            : null;
        if (first is null) return;
        var init = s.Common.Init;
        if (fs.Resolve(first.Value) is { } resolved && resolved == fs.Resolve(init)) return;
        report.Add(BuildRules.CommandWithoutInit, [first.Value], string.Join(' ', command), string.Join(' ', s.Entrypoint), string.Join(' ', s.Entrypoint.Concat(s.Cmd)));
    }
}
