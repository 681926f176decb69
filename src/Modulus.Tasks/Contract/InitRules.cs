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
        if (ExecutableRules.CommandProgram(fs, command[0], ExecutableRules.SearchPath(config), mop) is not { } first) return;
        var init = s.Common.Init;
        if (fs.Resolve(first) is { } resolved && resolved == fs.Resolve(init)) return;
        report.Add(BuildRules.CommandWithoutInit, [first], string.Join(' ', command), string.Join(' ', s.Entrypoint), string.Join(' ', s.Entrypoint.Concat(s.Cmd)));
    }
}
