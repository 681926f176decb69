using Modulus.Images;
using Modulus.Layers;
using Modulus.Oci;

namespace Modulus.Contract;

/// <summary>
/// Checks an image against the run-image standard and reports every broken rule at once. It
/// reads tar headers through <see cref="ImageFileSystem"/> and parses only the files it must:
/// the account files, supervisord's base configuration and the first line of start and the
/// command (for their #! interpreter); the first bytes of key programs (their ELF architecture)
/// come from what the view kept while reading the layers.
/// </summary>
public static class ContractValidator
{
    /// <param name="fs">The finished image's file system.</param>
    /// <param name="config">The finished image's config.</param>
    /// <param name="standard">The standard's values.</param>
    /// <param name="start">
    /// The start the project asked for, when it did: what it runs is proven to be in the image
    /// (<see cref="StartRules"/>). Null validates the image alone.
    /// </param>
    public static IReadOnlyList<ContractDiagnostic> Validate(ImageFileSystem fs, ImageConfig config, RunImageStandard standard, StartSpec? start = null)
    {
        var report = new ContractReport();
        var accounts = AccountDatabase.FromFileSystem(fs);
        var mop = MopIdentity.Of(accounts, standard);
        AccountRules.Check(fs, accounts, standard, mop, report);
        FileSystemRules.Check(fs, standard, mop, report);
        ConfigRules.Check(config, accounts, standard, report);
        // A project's start script has its #! line proven by StartRules, at the script's line.
        ExecutableRules.Check(fs, config, standard, mop, report, checkStartInterpreter: start is not StartSpec.Script);
        if (start is not null) StartRules.Check(fs, config, standard, mop, start, report);
        ArchitectureRules.Check(fs, config, standard, mop, start, report);
        return report.Diagnostics;
    }

    /// <summary>
    /// Checks a build image: the run standard's account, file-system, volume, user, command and
    /// architecture rules with the build standard's values, then the build rules (the environment
    /// with INPUT_DIR and OUTPUT_DIR, build on PATH, my_init first in the command). There is no
    /// supervisord and no start to check.
    /// </summary>
    public static IReadOnlyList<ContractDiagnostic> Validate(ImageFileSystem fs, ImageConfig config, BuildImageStandard standard)
    {
        var report = new ContractReport();
        var common = standard.Common;
        var accounts = AccountDatabase.FromFileSystem(fs);
        var mop = MopIdentity.Of(accounts, common);
        AccountRules.Check(fs, accounts, common, mop, report);
        FileSystemRules.Check(fs, common, mop, report);
        ConfigRules.Check(config, accounts, common, standard.Environment, BuildRules.Environment, report);
        var path = ExecutableRules.SearchPath(config);
        ExecutableRules.CheckOnPath(fs, path, BuildImageStandard.BuildName, standard.BuildFolder, common.UserName, mop, report, checkInterpreter: true,
            BuildRules.BuildMissing, BuildRules.BuildNotExecutable, BuildRules.InterpreterMissing);
        ExecutableRules.CheckCommand(fs, config, path, string.Join(' ', standard.Entrypoint.Concat(standard.Cmd)), common.UserName, mop, report);
        InitRules.Check(fs, config, standard, mop, report);
        ArchitectureRules.Check(fs, config, common, mop, null, report);
        return report.Diagnostics;
    }
}

/// <summary>Collects diagnostics, formatting each rule's message with the offending paths shortened.</summary>
internal sealed class ContractReport
{
    /// <summary>How many offending paths a message names before "and K more".</summary>
    public const int PathsShown = 10;

    private readonly List<ContractDiagnostic> _diagnostics = [];

    public IReadOnlyList<ContractDiagnostic> Diagnostics => _diagnostics;

    public void Add(ContractRule rule, IReadOnlyList<UnixPath> paths, params object?[] args) =>
        _diagnostics.Add(new ContractDiagnostic(rule.Error, rule.Severity, rule.Error.Text(args), paths) { Subject = rule.Subject });

    /// <summary>"/a, /b, /c" or "/a, /b ... and 12 more".</summary>
    public static string Describe(IReadOnlyList<UnixPath> paths) =>
        string.Join(", ", paths.Take(PathsShown).Select(p => p.Value))
        + (paths.Count > PathsShown ? $" and {paths.Count - PathsShown} more" : string.Empty);
}
