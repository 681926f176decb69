using System.Text;
using Modulus.DotNet;
using Modulus.Images;
using Modulus.Layers;
using Modulus.Npm;
using Modulus.Oci;

namespace Modulus.Contract;

/// <summary>
/// The programs the standard relies on are built for the image's platform: an amd64 python3 in an
/// arm64 image builds fine and fails in the container with "exec format error", which a
/// multi-platform build makes easy to do (one base's variant or one ModulusFile for every
/// platform). Checked are start and build, the program the project's start command runs, the image's
/// command, my_init, supervisord and supervisorctl, and the runtimes the contract knows (Node.js
/// under /opt/modulus/node and at /usr/local/bin/node, the .NET host); a script is followed one
/// level, to its #! interpreter (and, through env, the program env runs). Only what the ELF header
/// says for sure is reported: the file's first bytes come from what the view kept while reading
/// its layer, so no layer is read again, and anything that is not a known ELF header is passed over.
/// </summary>
internal static class ArchitectureRules
{
    /// <summary>The architectures <see cref="ElfHeader.Architecture"/> names; another platform's image is not checked.</summary>
    private static readonly HashSet<string> Known = ["amd64", "arm64", "arm", "386", "s390x", "ppc64le", "ppc64", "riscv64"];

    /// <summary>
    /// Programs an image's kernel runs although they are another architecture's, as a rule: 32-bit
    /// x86 on amd64 (IA-32 emulation is on in the usual kernels) and 32-bit arm on arm64 (most arm64
    /// servers run AArch32). Whether a given host does is not knowable here, so they are not reported.
    /// </summary>
    private static readonly HashSet<(string Image, string Program)> Compatible = [("amd64", "386"), ("arm64", "arm")];

    public static void Check(ImageFileSystem fs, ImageConfig config, RunImageStandard s, MopIdentity mop, StartSpec? start, ContractReport report)
    {
        var platform = config.Platform;
        if (!Known.Contains(platform.Architecture)) return;
        var path = ExecutableRules.SearchPath(config);
        var reported = new HashSet<UnixPath>();
        foreach (var (program, role) in KeyPrograms(fs, config, s, mop, start, path))
        {
            foreach (var (file, what) in WithInterpreter(fs, program, role, path, mop))
            {
                if (fs.Resolve(file) is not { } resolved || !reported.Add(resolved)) continue;
                if (ElfHeader.Parse(fs.ReadHead(resolved)) is not { Architecture: { } architecture }) continue;
                if (architecture == platform.Architecture || Compatible.Contains((platform.Architecture, architecture))) continue;
                var shown = resolved == file ? file.Value : $"{file} (which leads to {resolved})";
                report.Add(ContractRules.WrongArchitecture, resolved == file ? [file] : [file, resolved],
                    shown, what, architecture, $"{platform.Os}/{platform.Architecture}");
            }
        }
    }

    /// <summary>The programs the standard relies on, each with what it is to the image, where the image has them for mop.</summary>
    private static IEnumerable<(UnixPath File, string Role)> KeyPrograms(ImageFileSystem fs, ImageConfig config, RunImageStandard s, MopIdentity mop,
        StartSpec? start, IReadOnlyList<UnixPath> path)
    {
        if (ExecutableRules.FindOnPath(fs, path, "start", mop) is { } onPath) yield return (onPath, "start");
        if (ExecutableRules.FindOnPath(fs, path, BuildImageStandard.BuildName, mop) is { } build) yield return (build, "build");
        if (StartCommandProgram(fs, config, s, mop, start, path) is { } program) yield return (program, "the program the start command runs");
        var command = (config.Entrypoint ?? []).Concat(config.Cmd ?? []).FirstOrDefault();
        if (!string.IsNullOrEmpty(command) && Locate(fs, command, UnixPath.Root, path, mop) is { } commandFile) yield return (commandFile, "the image's command");
        if (ExecutableRules.FindExecutable(fs, s.Init, mop) is { } init) yield return (init, "my_init");
        foreach (var name in new[] { "supervisord", "supervisorctl" })
            if (ExecutableRules.FindOnPath(fs, path, name, mop) is { } supervisor) yield return (supervisor, name);

        var runtimes = fs.List(NodeRuntimeRequest.DefaultRoot).Where(n => n.Type == NodeType.Directory).Select(n => n.Path.Combine("bin/node"))
            .Append(UnixPath.Parse("/usr/local/bin/node"));
        foreach (var node in runtimes)
            if (ExecutableRules.FindExecutable(fs, node, mop) is { } found) yield return (found, "the Node.js runtime");
        foreach (var dotnet in new[] { DotNetInstallation.Of(fs, config).Root.Combine("dotnet"), DotnetMuxer.Link })
            if (ExecutableRules.FindExecutable(fs, dotnet, mop) is { } found) yield return (found, "the .NET host");
    }

    /// <summary>What the project's start command runs, found as <see cref="StartRules"/> proves it; null when it cannot be known here.</summary>
    private static UnixPath? StartCommandProgram(ImageFileSystem fs, ImageConfig config, RunImageStandard s, MopIdentity mop, StartSpec? start,
        IReadOnlyList<UnixPath> path)
    {
        if (start is not StartSpec.Command command || StartProgram.Of(command.CommandLine) is not { } program || program.Contains('\\')) return null;
        return Locate(fs, program, command.WorkingDirectory ?? s.AppDirectory, [.. path.Append(s.StartFolder).Distinct()], mop);
    }

    /// <summary>A word as execvp finds it: on PATH without a slash, else relative to <paramref name="from"/>.</summary>
    private static UnixPath? Locate(ImageFileSystem fs, string word, UnixPath from, IReadOnlyList<UnixPath> path, MopIdentity mop)
    {
        if (!word.Contains('/')) return ExecutableRules.FindOnPath(fs, path, word, mop);
        return UnixPath.TryFromTarName(word.StartsWith('/') ? word : from.Value + "/" + word, out var file)
            ? ExecutableRules.FindExecutable(fs, file, mop)
            : null;
    }

    /// <summary>
    /// The program and, for a script, its #! interpreter, and for <c>#!/usr/bin/env NAME</c> the NAME
    /// on PATH: the kernel runs the interpreter, so its architecture is what counts. Only the kept first
    /// bytes are read; a word they cut off is not guessed at.
    /// </summary>
    private static IEnumerable<(UnixPath File, string What)> WithInterpreter(ImageFileSystem fs, UnixPath program, string role,
        IReadOnlyList<UnixPath> path, MopIdentity mop)
    {
        yield return (program, role);
        var head = fs.ReadHead(program);
        if (head is null || head.Length < 2 || head[0] != '#' || head[1] != '!') yield break;
        var words = ShebangWords(head, complete: head.Length < LayerReaderEntry.MaxHeadBytes);
        if (words.Count == 0 || !words[0].StartsWith('/') || !UnixPath.TryFromTarName(words[0], out var interpreter)) yield break;
        if (ExecutableRules.FindExecutable(fs, interpreter, mop) is null) yield break;
        yield return (interpreter, $"the #! interpreter of {role} ({program})");
        if (interpreter.Name == "env" && words.Count > 1 && !words[1].StartsWith('-') && !words[1].Contains('/')
            && ExecutableRules.FindOnPath(fs, path, words[1], mop) is { } through)
            yield return (through, $"what the #! line of {role} ({program}) runs through {interpreter}");
    }

    /// <summary>
    /// The words of the #! line that the head holds whole: a word is whole when a blank or the line's
    /// end follows it, or when the head is the whole file (<paramref name="complete"/>).
    /// </summary>
    private static List<string> ShebangWords(byte[] head, bool complete)
    {
        var end = Array.IndexOf(head, (byte)'\n');
        var lineComplete = end >= 0 || complete;
        var line = Encoding.UTF8.GetString(head, 2, (end < 0 ? head.Length : end) - 2).TrimEnd('\r');
        var words = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).ToList();
        if (!lineComplete && words.Count > 0 && !(line.EndsWith(' ') || line.EndsWith('\t'))) words.RemoveAt(words.Count - 1);
        return words;
    }
}
