using System.Text.Json;
using System.Text.RegularExpressions;

namespace Modulus.Tests.TestSupport;

/// <summary>
/// A shipped Python script with some of its module-level constants (lines <c>NAME = "value"</c>)
/// given other values. The images read no switch that moves their folders, so a test that needs
/// other folders runs such a copy: every line but the rewritten ones is the shipped script's.
/// </summary>
public static class ScriptCopy
{
    /// <summary>The text with each named constant's line replaced; fails when a name is not on exactly one line.</summary>
    public static string WithConstants(string text, params (string Name, string Value)[] constants)
    {
        foreach (var (name, value) in constants)
        {
            var line = new Regex($"^{Regex.Escape(name)} = \"[^\"\\n]*\"$", RegexOptions.Multiline);
            var found = line.Matches(text).Count;
            found.ShouldBe(1, $"the script sets {name} to a string on exactly one line");
            text = line.Replace(text, _ => $"{name} = {JsonSerializer.Serialize(value)}");
        }
        return text;
    }

    /// <summary>Writes <see cref="WithConstants"/> of the file at <paramref name="source"/> to <paramref name="target"/>, executable.</summary>
    public static string Write(string source, string target, params (string Name, string Value)[] constants)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.WriteAllText(target, WithConstants(File.ReadAllText(source), constants));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(target, (UnixFileMode)0b111_101_101);
        return target;
    }
}
