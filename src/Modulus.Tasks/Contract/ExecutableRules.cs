using System.Text.RegularExpressions;
using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Layers;
using Modulus.Oci;

namespace Modulus.Contract;

/// <summary>
/// The programs the standard relies on are in the image, executable by mop, with their #!
/// interpreters: start on PATH, supervisord and supervisorctl, the image's command; and
/// supervisord's base configuration includes the platform's program file.
/// </summary>
internal static partial class ExecutableRules
{
    /// <summary>Scripts larger than this are taken for binaries: their #! line is not read.</summary>
    internal const long ScriptReadLimit = 1 << 20;

    public static void Check(ImageFileSystem fs, ImageConfig config, RunImageStandard s, MopIdentity mop, ContractReport report, bool checkStartInterpreter = true)
    {
        var path = SearchPath(config);
        CheckStart(fs, path, s, mop, report, checkStartInterpreter);

        var missing = new[] { "supervisord", "supervisorctl" }.Where(name => FindOnPath(fs, path, name, mop) is null).ToArray();
        if (missing.Length > 0)
            report.Add(ContractRules.SupervisordMissing, [], string.Join(" and ", missing), string.Join(':', path));
        CheckSupervisorConfig(fs, s, report);
        CheckCommand(fs, config, path, string.Join(' ', s.Command), s.UserName, mop, report);
    }

    private static void CheckStart(ImageFileSystem fs, IReadOnlyList<UnixPath> path, RunImageStandard s, MopIdentity mop, ContractReport report, bool checkInterpreter) =>
        CheckOnPath(fs, path, "start", s.StartFolder, s.UserName, mop, report, checkInterpreter,
            ContractRules.StartMissing, ContractRules.StartNotExecutable, ContractRules.InterpreterMissing);

    /// <summary>
    /// The program the platform runs by name (start, build) is a file on PATH that mop can execute,
    /// with an interpreter that exists: as execvp does, the first executable match wins and
    /// non-executable ones are passed over.
    /// </summary>
    internal static void CheckOnPath(ImageFileSystem fs, IReadOnlyList<UnixPath> path, string name, UnixPath folder, string userName, MopIdentity mop,
        ContractReport report, bool checkInterpreter, ContractRule missing, ContractRule notExecutable, ContractRule interpreterMissing)
    {
        var found = path.Select(dir => dir.Combine(name)).Where(p => RegularFile(fs, p) is not null).ToArray();
        if (found.Length == 0)
        {
            report.Add(missing, [], string.Join(':', path), folder);
            return;
        }
        var program = found.Where(p => mop.CanExecute(RegularFile(fs, p)!)).Cast<UnixPath?>().FirstOrDefault();
        if (program is null) report.Add(notExecutable, found, userName, ContractReport.Describe(found));
        else if (checkInterpreter) CheckInterpreter(fs, program.Value, path, mop, report, interpreterMissing);
    }

    private static void CheckSupervisorConfig(ImageFileSystem fs, RunImageStandard s, ContractReport report)
    {
        var text = ImageText.Read(fs, s.SupervisorConfig);
        if (text is null)
            report.Add(ContractRules.SupervisorConfig, [s.SupervisorConfig], s.SupervisorConfig, "does not exist", s.AppSupervisorConfig);
        else if (!SupervisorIncludes(text).Any(pattern => Glob(pattern).IsMatch(s.AppSupervisorConfig.Value)))
            report.Add(ContractRules.SupervisorConfig, [s.SupervisorConfig], s.SupervisorConfig, "does not include " + s.AppSupervisorConfig, s.AppSupervisorConfig);
    }

    /// <summary>The image's command (Entrypoint + Cmd) begins with a program mop can execute, whose interpreter exists.</summary>
    internal static void CheckCommand(ImageFileSystem fs, ImageConfig config, IReadOnlyList<UnixPath> path, string expected, string userName, MopIdentity mop, ContractReport report)
    {
        var command = (config.Entrypoint ?? []).Concat(config.Cmd ?? []).ToArray();
        if (command.Length == 0 || command[0].Length == 0)
        {
            report.Add(ContractRules.CommandMissing, [], "is empty", expected);
            return;
        }
        var program = CommandProgram(fs, command[0], path, mop);
        if (program is null)
            report.Add(ContractRules.CommandMissing, [], $"'{command[0]}' is not an executable file in the image (for user {userName})", expected);
        else CheckInterpreter(fs, program.Value, path, mop, report);
    }

    /// <summary>
    /// The executable file a command's first word names, or null: a bare name is looked up on
    /// PATH, and a relative path with a slash is taken from the root, the usual working directory
    /// of an image.
    /// </summary>
    internal static UnixPath? CommandProgram(ImageFileSystem fs, string first, IReadOnlyList<UnixPath> path, MopIdentity mop) =>
        !first.Contains('/') ? FindOnPath(fs, path, first, mop)
        : UnixPath.TryFromTarName(first, out var file) ? FindExecutable(fs, file, mop)
        : null;

    /// <summary>
    /// The #! line of a script names its interpreter, which must itself be an executable file;
    /// "#!/usr/bin/env NAME" also needs NAME on PATH.
    /// </summary>
    private static void CheckInterpreter(ImageFileSystem fs, UnixPath script, IReadOnlyList<UnixPath> path, MopIdentity mop, ContractReport report,
        ContractRule? rule = null)
    {
        rule ??= ContractRules.InterpreterMissing;
        if (RegularFile(fs, script) is not { } node || node.Size > ScriptReadLimit || ReadScript(fs, script) is not { } bytes) return;
        if (bytes.Length < 2 || bytes[0] != '#' || bytes[1] != '!') return;
        var end = Array.IndexOf(bytes, (byte)'\n');
        var line = ImageText.Utf8.GetString(bytes, 2, (end < 0 ? bytes.Length : end) - 2).Trim();
        var words = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0 || !words[0].StartsWith('/'))
        {
            report.Add(rule, [script], script, line);
            return;
        }
        var interpreter = UnixPath.Parse(words[0]);
        var ok = FindExecutable(fs, interpreter, mop) is not null
            && (interpreter.Name != "env" || words.Length < 2 || words[1].StartsWith('-') || FindOnPath(fs, path, words[1], mop) is not null);
        if (!ok) report.Add(rule, [script, interpreter], script, line);
    }

    /// <summary>A hard link's header gives no size, so its target may still prove too large to be a script.</summary>
    internal static byte[]? ReadScript(ImageFileSystem fs, UnixPath script)
    {
        try
        {
            return fs.ReadFile(script, ScriptReadLimit);
        }
        catch (ModulusException e) when (e.Error == Errors.TarEntryTooLarge)
        {
            return null;
        }
    }

    /// <summary>The config's PATH (Docker's default when unset), absolute folders only.</summary>
    internal static IReadOnlyList<UnixPath> SearchPath(ImageConfig config) =>
        (config.GetEnv("PATH") ?? ContractLayer.DefaultPath).Split(':')
            .Where(d => d.StartsWith('/'))
            .Select(d => UnixPath.TryFromTarName(d, out var p) ? p : UnixPath.Root)
            .Distinct()
            .ToArray();

    /// <summary>The first <paramref name="name"/> on <paramref name="path"/> that mop can execute.</summary>
    internal static UnixPath? FindOnPath(ImageFileSystem fs, IReadOnlyList<UnixPath> path, string name, MopIdentity mop) =>
        path.Select(dir => FindExecutable(fs, dir.Combine(name), mop)).FirstOrDefault(p => p is not null);

    /// <summary><paramref name="file"/> when it resolves (through symbolic links) to a regular file mop may execute.</summary>
    internal static UnixPath? FindExecutable(ImageFileSystem fs, UnixPath file, MopIdentity mop) =>
        RegularFile(fs, file) is { } node && mop.CanExecute(node) ? file : null;

    internal static FileSystemNode? RegularFile(ImageFileSystem fs, UnixPath file) =>
        fs.Resolve(file) is { } resolved && fs.Get(resolved) is { Type: NodeType.File or NodeType.HardLink } node ? node : null;

    /// <summary>The patterns of the [include] section's files= value (which may continue on indented lines).</summary>
    private static IEnumerable<string> SupervisorIncludes(string text)
    {
        var section = string.Empty;
        var inFiles = false;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            var trimmed = line.Trim();
            if (trimmed.StartsWith('[') && trimmed.EndsWith(']'))
            {
                section = trimmed[1..^1].Trim();
                inFiles = false;
                continue;
            }
            if (trimmed.Length == 0 || trimmed.StartsWith(';') || trimmed.StartsWith('#') || section != "include") continue;
            string value;
            if (char.IsWhiteSpace(line[0]) && inFiles) value = trimmed;
            else
            {
                var parts = trimmed.Split(['=', ':'], 2);
                inFiles = parts.Length == 2 && parts[0].Trim() == "files";
                if (!inFiles) continue;
                value = parts[1];
            }
            foreach (var pattern in value.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)) yield return pattern;
        }
    }

    private static Regex Glob(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace(@"\*", "[^/]*").Replace(@"\?", "[^/]") + "$");
}
