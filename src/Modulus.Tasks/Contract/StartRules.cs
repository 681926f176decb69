using Modulus.Images;
using Modulus.Layers;
using Modulus.Oci;

namespace Modulus.Contract;

/// <summary>
/// The build-time proof of start: what the project's start runs is in the finished image and mop
/// can execute it. For a start command, the program it names (<see cref="StartProgram"/>), looked
/// up as execvp does: a plain word in each folder of the image's PATH and the start folder, the
/// first executable match winning; a path with a slash as it is, relative to where start runs.
/// For a start script, the interpreter its #! line names. A program under the volume arrives with
/// the application at run time and cannot be proven here; neither can a program on a PATH folder
/// under the volume that the image does not hold.
/// </summary>
internal static class StartRules
{
    public static void Check(ImageFileSystem fs, ImageConfig config, RunImageStandard s, MopIdentity mop, StartSpec start, ContractReport report)
    {
        if (start is StartSpec.Command command) CheckCommand(fs, config, s, mop, command, report);
        else if (start is StartSpec.Script) CheckScript(fs, config, s, mop, report);
    }

    private static void CheckCommand(ImageFileSystem fs, ImageConfig config, RunImageStandard s, MopIdentity mop, StartSpec.Command command, ContractReport report)
    {
        if (StartProgram.Of(command.CommandLine) is not { } program || program.Contains('\\')) return;
        var line = command.CommandLine;
        var path = SearchPath(config, s);
        UnixPath[] candidates;
        string missing;
        if (program.Contains('/'))
        {
            var from = command.WorkingDirectory ?? s.AppDirectory;
            if (!UnixPath.TryFromTarName(program.StartsWith('/') ? program : from.Value + "/" + program, out var file)) return;
            if (file.IsUnder(s.Volume)) return;
            candidates = [file];
            missing = $"{file} does not exist";
        }
        else
        {
            candidates = path.Where(d => !d.IsUnder(s.Volume)).Select(d => d.Combine(program)).ToArray();
            missing = $"no file '{program}' in any folder of mop's PATH ({string.Join(':', path)})";
            if (path.Any(d => d.IsUnder(s.Volume)) && !candidates.Any(fs.Exists)) return;
        }

        var notExecutable = new List<(UnixPath Path, string Why)>();
        var notFile = new List<(UnixPath Path, string What)>();
        foreach (var candidate in candidates)
        {
            var resolved = fs.Resolve(candidate);
            if (resolved is null)
            {
                if (fs.Get(candidate) is { Type: NodeType.Symlink } link) notFile.Add((candidate, $"a link to {link.LinkTarget} that leads to nothing in the image"));
                continue;
            }
            var node = fs.Get(resolved.Value)!;
            if (node.Type is not (NodeType.File or NodeType.HardLink))
            {
                notFile.Add((candidate, node.Type == NodeType.Directory ? "a folder" : $"a {node.Type.ToString().ToLowerInvariant()}"));
                continue;
            }
            if (WhyNotExecutable(fs, resolved.Value, node, mop) is { } why)
            {
                notExecutable.Add((candidate, why));
                continue;
            }
            CheckInterpreter(fs, path, mop, line, candidate, resolved.Value, node, report);
            return;
        }
        if (notExecutable.Count > 0)
            report.Add(ContractRules.StartProgramNotExecutable, notExecutable.Select(n => n.Path).ToArray(), line, program, s.UserName, mop.Uid,
                string.Join("; ", notExecutable.Select(n => n.Why)));
        else if (notFile.Count > 0)
            report.Add(ContractRules.StartProgramNotFile, notFile.Select(n => n.Path).ToArray(), line, program, $"{notFile[0].Path}: {notFile[0].What}");
        else report.Add(ContractRules.StartProgramMissing, [], line, program, missing);
    }

    /// <summary>The start the project supplied is exec'd by supervisord: the kernel needs its #! line to run it.</summary>
    private static void CheckScript(ImageFileSystem fs, ImageConfig config, RunImageStandard s, MopIdentity mop, ContractReport report)
    {
        var start = s.StartFolder.Combine("start");
        if (fs.Resolve(start) is not { } resolved || fs.Get(resolved) is not { Type: NodeType.File or NodeType.HardLink } node) return;
        var problem = node.Size > ExecutableRules.ScriptReadLimit ? null : InterpreterProblem(fs, SearchPath(config, s), mop, resolved, out _, missingLine: "has no #! line");
        if (problem is not null) report.Add(ContractRules.StartScriptInterpreterMissing, [start], start, problem);
    }

    private static void CheckInterpreter(ImageFileSystem fs, IReadOnlyList<UnixPath> path, MopIdentity mop, string line, UnixPath program,
        UnixPath resolved, FileSystemNode node, ContractReport report)
    {
        if (node.Size > ExecutableRules.ScriptReadLimit) return;
        if (InterpreterProblem(fs, path, mop, resolved, out var shebang, missingLine: null) is { } problem)
            report.Add(ContractRules.StartProgramInterpreterMissing, [program], line, program, shebang, problem);
    }

    /// <summary>
    /// Why the #! line of <paramref name="script"/> cannot start it, or null when it can (or,
    /// with a null <paramref name="missingLine"/>, when there is no #! line: a binary).
    /// </summary>
    private static string? InterpreterProblem(ImageFileSystem fs, IReadOnlyList<UnixPath> path, MopIdentity mop, UnixPath script, out string shebang, string? missingLine)
    {
        shebang = string.Empty;
        var bytes = ExecutableRules.ReadScript(fs, script);
        if (bytes is null) return null;
        if (bytes.Length < 2 || bytes[0] != '#' || bytes[1] != '!') return missingLine;
        var end = Array.IndexOf(bytes, (byte)'\n');
        shebang = ImageText.Utf8.GetString(bytes, 2, (end < 0 ? bytes.Length : end) - 2).Trim();
        var words = shebang.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var prefix = missingLine is null ? string.Empty : $"starts with #!{shebang}, ";
        if (words.Length == 0 || !words[0].StartsWith('/') || !UnixPath.TryFromTarName(words[0], out var interpreter))
            return prefix + "which does not name an absolute path";
        if (ExecutableRules.FindExecutable(fs, interpreter, mop) is null) return prefix + $"{interpreter} is not a file in the image that mop can execute";
        if (interpreter.Name == "env" && words.Length > 1 && !words[1].StartsWith('-') && ExecutableRules.FindOnPath(fs, path, words[1], mop) is null)
            return prefix + $"'{words[1]}' is not on mop's PATH ({string.Join(':', path)})";
        return null;
    }

    /// <summary>Why mop cannot execute <paramref name="file"/>: its own mode and owner, or a folder above it it cannot search.</summary>
    private static string? WhyNotExecutable(ImageFileSystem fs, UnixPath file, FileSystemNode node, MopIdentity mop)
    {
        if (!mop.CanExecute(node)) return $"{file} has mode {Mode(node)} and owner {node.Uid}:{node.Gid}";
        var closed = file.Ancestors().Select(fs.Get).FirstOrDefault(d => d is { Type: NodeType.Directory } && !mop.CanExecute(d));
        return closed is null ? null : $"its folder {closed.Path} (mode {Mode(closed)}, owner {closed.Uid}:{closed.Gid}) cannot be searched";
    }

    /// <summary>The folders a plain word is looked up in: the image's PATH, then the start folder, which the contract puts first anyway.</summary>
    private static IReadOnlyList<UnixPath> SearchPath(ImageConfig config, RunImageStandard s) =>
        [.. ExecutableRules.SearchPath(config).Append(s.StartFolder).Distinct()];

    private static string Mode(FileSystemNode node) => "0" + Convert.ToString(node.Mode & 0b111_111_111_111, 8).PadLeft(3, '0');
}
