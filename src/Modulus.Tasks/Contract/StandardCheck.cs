using System.Text.RegularExpressions;
using Modulus.Diagnostics;

namespace Modulus.Contract;

/// <summary>Refuses standard values that would produce a broken layer, before anything is generated.</summary>
internal static partial class StandardCheck
{
    public static void Check(RunImageStandard s)
    {
        Name("UserName", s.UserName);
        Name("GroupName", s.GroupName);
        Id("Uid", s.Uid);
        Id("Gid", s.Gid);
        if (s.Comment.IndexOfAny([':', '\n', '\r']) >= 0)
            Fail("Comment", s.Comment, "it may not hold ':' or a line break");
        if (s.User.Length == 0) Fail("User", s.User, "it is empty; use the mop user's name");
        if (s.Command.Count == 0 || s.Command[0].Length == 0) Fail("Command", string.Join(' ', s.Command), "it is empty; use /sbin/my_init");
        if (!LogSizePattern().IsMatch(s.LogMaxBytes)) Fail("LogMaxBytes", s.LogMaxBytes, "write a size such as 50MB, 500KB or 1GB");
        if (s.LogBackups < 0) Fail("LogBackups", s.LogBackups.ToString(), "it may not be negative");
        if (s.StopTimeoutSeconds < 1) Fail("StopTimeoutSeconds", s.StopTimeoutSeconds.ToString(), "it must be at least 1");
        if (!s.Home.IsUnder(s.Volume)) Fail("Home", s.Home.Value, $"it must be under the volume {s.Volume}, the only place mop may write");
    }

    public static void Check(BuildImageStandard s)
    {
        Check(s.Common);
        foreach (var (what, folder) in new[] { ("InputDirectory", s.InputDirectory), ("OutputDirectory", s.OutputDirectory) })
        {
            if (!folder.IsUnder(s.Common.Volume) || folder == s.Common.Volume)
                throw new ModulusException(Errors.BuildInvalidStandard, what, folder.Value, $"it must be a folder under the volume {s.Common.Volume}, the only place mop may write");
        }
        var folders = s.VolumeFolders;
        if (folders.Distinct().Count() != folders.Count || folders.Any(a => folders.Any(b => a != b && a.IsUnder(b))))
            throw new ModulusException(Errors.BuildInvalidStandard, "OutputDirectory", s.OutputDirectory.Value,
                $"the input, output, temp and home folders ({string.Join(", ", folders)}) must be apart, none inside another");
    }

    private static void Name(string what, string value)
    {
        if (!NamePattern().IsMatch(value)) Fail(what, value, "write a lower-case name of letters, digits, '_' and '-', starting with a letter or '_'");
    }

    private static void Id(string what, int value)
    {
        if (value is < 1 or > 65534) Fail(what, value.ToString(), "write an id from 1 to 65534; 0 is root");
    }

    private static void Fail(string what, string value, string why) =>
        throw new ModulusException(Errors.ContractInvalidStandard, what, value, why);

    [GeneratedRegex("^[a-z_][a-z0-9_-]{0,31}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[0-9]+(KB|MB|GB)?$")]
    private static partial Regex LogSizePattern();
}
