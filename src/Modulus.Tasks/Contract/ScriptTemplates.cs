using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using Modulus.Diagnostics;

namespace Modulus.Contract;

/// <summary>
/// The scripts and configuration the contract layer holds, rendered from the templates in
/// Contract/Scripts (embedded resources) with the standard's values. Values are written as
/// literals of each file's language: Python strings, shell words, plain supervisord values.
/// </summary>
internal static partial class ScriptTemplates
{
    /// <param name="s">The standard whose paths and limits the script holds.</param>
    /// <param name="root">
    /// Put before every path the script uses: empty for images. Modulus's own tests give a folder
    /// that stands for the image's root, so that the scripts run on a build machine without any
    /// switch in the shipped bytes that a container's environment could set.
    /// </param>
    public static string MyInit(RunImageStandard s, string root = "") => Render("my_init.py", new()
    {
        ["MY_INIT_D"] = Python(root + s.InitScriptsDirectory.Value),
        ["SUPERVISORD_CONF"] = Python(root + s.SupervisorConfig.Value),
        ["APP_SUPERVISOR_CONF"] = Python(root + s.AppSupervisorConfig.Value),
        ["FALLBACK_CONF"] = Python(root + s.FallbackSupervisorConfig.Value),
        ["APP_LOG"] = Python(root + s.AppLog.Value),
        ["VOLUME"] = Python(root + s.Volume.Value),
        ["VOLUME_FOLDERS"] = PythonList(s.VolumeFolders.Select(folder => root + folder.Value)),
        ["OWNER"] = Python($"{s.Uid}:{s.Gid}"),
        ["LOG_MAX_BYTES"] = Python(s.LogMaxBytes),
        ["LOG_BACKUPS"] = s.LogBackups.ToString(CultureInfo.InvariantCulture),
        ["STOP_TIMEOUT"] = s.StopTimeoutSeconds.ToString(CultureInfo.InvariantCulture),
    });

    /// <param name="s">The standard whose paths the script holds.</param>
    /// <param name="root">As for <see cref="MyInit"/>; it moves the cgroup files too.</param>
    public static string Notifier(RunImageStandard s, string root = "") => Render("modulus-notify.py", new()
    {
        ["NOTIFICATIONS_DIR"] = Python(root + s.NotificationsDirectory.Value),
        ["APP_LOG"] = Python(root + s.AppLog.Value),
        ["SUPERVISORD_LOG"] = Python(root + s.SupervisordLog.Value),
        ["MEMORY_EVENTS"] = PythonList(MemoryEvents.Select(path => root + path)),
    });

    public static string SupervisorConfig(RunImageStandard s) => Render("supervisord.conf", new()
    {
        ["LOG_DIR"] = s.LogDirectory.Value,
        ["LOG_MAX_BYTES"] = s.LogMaxBytes,
        ["LOG_BACKUPS"] = s.LogBackups.ToString(CultureInfo.InvariantCulture),
        ["HOME"] = s.Home.Value,
        ["USER"] = s.UserName,
        ["PASSWORD"] = SocketPassword,
        ["NOTIFIER"] = s.Notifier.Value,
        ["APP_SUPERVISOR_CONF"] = s.AppSupervisorConfig.Value,
        ["FALLBACK_CONF"] = s.FallbackSupervisorConfig.Value,
    });

    public static string Start(RunImageStandard s, StartSpec.Command start)
    {
        var command = start.CommandLine.Contains("EXEC_ARGS", StringComparison.Ordinal)
            ? start.CommandLine
            : start.CommandLine + " $EXEC_ARGS";
        // "exec NAME=value program" would look for a program called NAME=value; env applies the
        // assignments (the shell has already removed their quotes) and execs in turn.
        if (AssignmentPattern().IsMatch(command)) command = "env " + command;
        var program = ProgramOf(start.CommandLine);
        // A program given as a plain word is checked before exec, so that a missing one gives the
        // one-line reason the standard asks for instead of the shell's own message.
        var check = program is null
            ? string.Empty
            : $"command -v {Shell(program)} >/dev/null 2>&1 || {{ printf 'ERROR: command %s not found on PATH (%s)\\n' {Shell(program)} \"$PATH\" >&2; exit 127; }}\n";
        return Render("start.sh", new()
        {
            ["WORKDIR"] = Shell((start.WorkingDirectory ?? s.AppDirectory).Value),
            ["PROGRAM_CHECK"] = check,
            ["COMMAND"] = command,
        });
    }

    public static string AppStart(RunImageStandard s) => Render("start-app.sh", new()
    {
        ["APP_DIR"] = Shell(s.AppDirectory.Value),
        ["APP_START"] = Shell(s.AppDirectory.Combine("start").Value),
    });

    public static string SourceBuild(BuildImageStandard s) => Render("build-source.sh", new()
    {
        ["INPUT_DIR"] = Shell(s.InputDirectory.Value),
        ["SOURCE_BUILD"] = Shell(s.InputDirectory.Combine(BuildImageStandard.BuildName).Value),
    });

    /// <summary>
    /// Not a secret: the socket's mode (0700) and folder keep others out. supervisord only needs a
    /// username and password to stop logging a CRIT line at every start.
    /// </summary>
    private const string SocketPassword = "modulus-local-socket";

    /// <summary>The first word of a command line that is not a variable assignment, when it is a plain word.</summary>
    private static string? ProgramOf(string commandLine)
    {
        var word = commandLine.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(w => !AssignmentPattern().IsMatch(w));
        return word is not null && PlainWordPattern().IsMatch(word) ? word : null;
    }

    /// <summary>Replaces every @NAME@ in one pass, so a value (a user's command) is never scanned for tokens.</summary>
    private static string Render(string name, Dictionary<string, string> values) =>
        TokenPattern().Replace(Load(name), m => values.TryGetValue(m.Groups[1].Value, out var value)
            ? value
            : throw new ModulusException(Errors.Internal, $"the template {name} has no value for {m.Value}"));

    private static string Load(string name)
    {
        using var stream = typeof(ScriptTemplates).Assembly.GetManifestResourceStream("Modulus.Contract.Scripts." + name)
            ?? throw new ModulusException(Errors.Internal, $"the template {name} is not embedded in the assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Where the kernel counts out-of-memory kills of the container's cgroup: cgroup v2, then v1.</summary>
    private static readonly string[] MemoryEvents = ["/sys/fs/cgroup/memory.events", "/sys/fs/cgroup/memory/memory.oom_control"];

    private static readonly JsonSerializerOptions PythonLiteral = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A JSON string is a valid Python string literal.</summary>
    private static string Python(string value) => JsonSerializer.Serialize(value, PythonLiteral);

    private static string PythonList(IEnumerable<string> values) => "[" + string.Join(", ", values.Select(Python)) + "]";

    private static string Shell(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*=")]
    private static partial Regex AssignmentPattern();

    [GeneratedRegex("^[A-Za-z0-9_./+-]+$")]
    private static partial Regex PlainWordPattern();

    [GeneratedRegex("@([A-Z_]+)@")]
    private static partial Regex TokenPattern();
}
