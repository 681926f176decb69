using System.Text;
using System.Text.RegularExpressions;

namespace Modulus.Contract;

/// <summary>
/// The program a start command line runs. The generated start runs the line as
/// <c>exec LINE</c> (<c>exec env LINE</c> when it begins with <c>NAME=value</c>), so its first
/// word that is not an assignment must be a program found on PATH: <c>exec</c> cannot run a shell
/// builtin or keyword, so <c>cd /srv &amp;&amp; ./run</c>, <c>export X=1; node</c> or a second
/// <c>exec</c> name a program the image does not have, and fail the build as the container would
/// fail. <c>env</c> is looked through (its options and assignments skipped), since the program it
/// runs is what matters. Null when the first word is computed when start runs (a word holding
/// <c>$</c>, a backquote or a glob) or the line begins with a subshell: the build cannot prove
/// it. Only the first command is read: in <c>sh -c '...'</c>, <c>sh</c> is proven.
/// </summary>
public static partial class StartProgram
{
    public static string? Of(string commandLine)
    {
        var throughEnv = false;
        var skipNext = false;
        foreach (var word in Words(commandLine))
        {
            if (word is null) return null;
            var text = word.Value.Text;
            if (skipNext) { skipNext = false; continue; }
            if (AssignmentPattern().IsMatch(word.Value.Raw)) continue;
            if (throughEnv && text.StartsWith('-'))
            {
                // env's -u NAME and --unset NAME take the next word; its other options stand alone.
                skipNext = text is "-u" or "--unset";
                continue;
            }
            if (!throughEnv && (text == "env" || text.EndsWith("/env", StringComparison.Ordinal)))
            {
                throughEnv = true;
                continue;
            }
            return text.Length == 0 ? null : text;
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
