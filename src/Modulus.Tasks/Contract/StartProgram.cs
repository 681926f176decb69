using System.Text;
using System.Text.RegularExpressions;

namespace Modulus.Contract;

/// <summary>
/// The program a start command line runs, found as /bin/sh finds it: the first word that is not
/// a variable assignment, with <c>exec</c> and <c>command</c> looked through (the generated start
/// already runs the line with exec). Null when the line begins with something the shell itself
/// provides or computes: a builtin such as <c>cd</c> or <c>export</c>, a keyword such as <c>if</c>,
/// a subshell, or a word holding <c>$</c> or a backquote. What runs then is known only when start
/// runs, so the build cannot prove it. Only the first command is read: in <c>a &amp;&amp; b</c>
/// or <c>sh -c '...'</c>, <c>a</c> and <c>sh</c> are proven, not what follows.
/// </summary>
public static partial class StartProgram
{
    private static readonly HashSet<string> ShellWords =
    [
        // POSIX special and regular builtins as dash has them, and the shell's reserved words.
        ".", ":", "[", "alias", "bg", "break", "cd", "chdir", "continue", "eval", "exit", "export", "false", "fg",
        "getopts", "hash", "jobs", "local", "pwd", "read", "readonly", "return", "set", "shift", "test", "times",
        "trap", "true", "type", "ulimit", "umask", "unalias", "unset", "wait", "echo", "printf", "kill",
        "!", "{", "}", "case", "do", "done", "elif", "else", "esac", "fi", "for", "if", "in", "then", "until", "while",
    ];

    public static string? Of(string commandLine)
    {
        var lookingThrough = false;
        foreach (var word in Words(commandLine))
        {
            if (word is null) return null;
            if (AssignmentPattern().IsMatch(word.Value.Raw)) continue;
            var text = word.Value.Text;
            // "exec prog" and "command -p prog" run prog; their options are skipped with them.
            if (text is "exec" or "command") lookingThrough = true;
            else if (!(lookingThrough && text.StartsWith('-'))) return ShellWords.Contains(text) || text.Length == 0 ? null : text;
        }
        return null;
    }

    /// <summary>
    /// The words of the line's first simple command, unquoted, each with its raw form; a null
    /// word where the shell would expand something or the command ends.
    /// </summary>
    private static IEnumerable<(string Raw, string Text)?> Words(string line)
    {
        var i = 0;
        while (true)
        {
            while (i < line.Length && line[i] is ' ' or '\t') i++;
            if (i >= line.Length || "|&;<>()`".Contains(line[i]) || line[i] == '#')
            {
                yield return null;
                yield break;
            }
            var start = i;
            var text = new StringBuilder();
            var expands = false;
            while (i < line.Length && !(line[i] is ' ' or '\t') && !"|&;<>()".Contains(line[i]))
            {
                var c = line[i];
                if (c == '\\' && i + 1 < line.Length) { text.Append(line[i + 1]); i += 2; }
                else if (c == '\'')
                {
                    var end = line.IndexOf('\'', i + 1);
                    if (end < 0) { expands = true; break; }
                    text.Append(line, i + 1, end - i - 1);
                    i = end + 1;
                }
                else if (c == '"')
                {
                    var end = line.IndexOf('"', i + 1);
                    if (end < 0) { expands = true; break; }
                    var inner = line.Substring(i + 1, end - i - 1);
                    if (inner.IndexOfAny(['$', '`', '\\']) >= 0) expands = true;
                    text.Append(inner);
                    i = end + 1;
                }
                else
                {
                    if (c is '$' or '`' or '*' or '?' or '[' or '~') expands = true;
                    text.Append(c);
                    i++;
                }
            }
            var raw = line[start..i];
            // An assignment's value may expand freely: it does not decide the program.
            if (expands && !AssignmentPattern().IsMatch(raw))
            {
                yield return null;
                yield break;
            }
            yield return (raw, text.ToString());
        }
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*=")]
    private static partial Regex AssignmentPattern();
}
