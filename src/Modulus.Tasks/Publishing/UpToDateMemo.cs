using System.Security.Cryptography;
using System.Text;
using Modulus.Plan;
using Modulus.Storage;

namespace Modulus.Publishing;

/// <summary>
/// What lets a publish that changes nothing stop before it reads the plan: the key of the
/// publish's inputs as the caller received them (<see cref="Key"/>), the files the plan's
/// fingerprint looked at, by size and mtime as the fingerprint sees them, the fingerprint they
/// stood for, and what the publish reported. When the key, every file and the fingerprint are as
/// recorded, the plan would be the same and so would its fingerprint: the publish is up to date
/// without mapping, declaring or hashing the plan, which is most of a no-op publish's own cost
/// (docs/sdk.md, "Up to date").
/// </summary>
/// <remarks>
/// Recorded only for a plan whose up-to-date check needs nothing but files: no registry base
/// (a tag is looked up again when its record expires), push, daemon load, archive copy, lock
/// refresh, warning to repeat, or app (whose files the fingerprint reads by content).
/// </remarks>
public sealed record UpToDateMemo(string Key, string Fingerprint, IReadOnlyList<string> Files, IReadOnlyList<string> Outputs,
    IReadOnlyDictionary<string, string> Reported, string Summary)
{
    public const string FileName = "modulus-image.memo";

    private const string Header = "modulus-up-to-date-memo 1";

    /// <summary>The key of <paramref name="inputs"/> (each caller's own text of everything it was given) with the build of Modulus.</summary>
    public static string KeyOf(string inputs)
    {
        var text = new StringBuilder();
        // A rebuilt Modulus may plan differently from the same inputs.
        text.AppendLine(typeof(UpToDateMemo).Assembly.ManifestModule.ModuleVersionId.ToString());
        // The one input from the environment the fingerprint reads (see DebianStep.AppendFingerprint).
        text.Append("debian-mirror|").AppendLine(Environment.GetEnvironmentVariable(Debian.DebianInstaller.MirrorVariable));
        text.Append(inputs);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>Whether a memo of this plan could say "up to date" correctly (see the remarks).</summary>
    public static bool Applies(ImagePlan plan) =>
        plan.BaseImage.Registry is null && plan.Registry is null && !plan.LoadIntoDaemon && plan.ArchiveCopyPath is null && plan.Apps.Count == 0
        && plan.Debian is not { Request.RefreshLock: true } && plan.Debian is not { Request.VerifySignatures: false };

    /// <summary>
    /// The plan's input files as the memo records them (size and mtime, a local base's tree), taken
    /// before the publish reads them: a file saved while the publish runs then differs from the
    /// memo, and the next publish builds it instead of trusting the memo. Besides the plan's own
    /// files, <paramref name="extraFiles"/> are host paths that decided the plan without being in
    /// it (an inline file's name that is not a host file).
    /// </summary>
    public static IReadOnlyList<string> InputsOf(ImagePlan plan, IEnumerable<string> extraFiles) =>
        plan.Files.Select(f => f.SourcePath).OfType<string>()
            .Concat(extraFiles)
            .Concat(new[] { plan.Contract.StartScript, plan.Contract.BuildScript }.OfType<string>())
            .Select(path => Entry(path, tree: false))
            .Concat(plan.BaseImage.Local?.Path is { } basePath ? [Entry(basePath, tree: true)] : [])
            .ToArray();

    /// <summary>
    /// The memo of a publish that just ended (its image new or up to date) with the fingerprint now
    /// in the intermediate folder, or null when <see cref="Applies"/> says no.
    /// <paramref name="inputsAtStart"/> are <see cref="InputsOf"/> from before the publish; the
    /// Debian lock file is taken as it is now, since the publish may have written it and the
    /// fingerprint reads it again at its end.
    /// </summary>
    public static UpToDateMemo? Of(string key, ImagePlan plan, IReadOnlyList<string> inputsAtStart, ImageReport report, string reportPath,
        IReadOnlyDictionary<string, string> reported, string summary)
    {
        if (!Applies(plan) || PlanFingerprint.Read(plan.IntermediateDirectory) is not { } fingerprint) return null;
        var files = inputsAtStart
            .Concat(plan.Debian?.Request.LockFilePath is { } lockFile ? [Entry(lockFile, tree: false)] : [])
            .ToArray();
        var outputs = report.OutputFiles.Append(reportPath).Append(report.LayoutPath + "/").ToArray();
        // One line per entry: a path with a line break or a tab cannot be written, and is rare enough to go without a memo.
        if (files.Concat(outputs).Concat(reported.Values).Append(summary).Any(t => t.Contains('\n') || t.Contains('\r'))
            || files.Any(f => f.Count(c => c == '\t') != 2)) return null;
        return new UpToDateMemo(key, fingerprint, files, outputs, reported, summary);
    }

    /// <summary>The memo in <paramref name="intermediateDirectory"/> when it holds for <paramref name="key"/> now; else null.</summary>
    public static UpToDateMemo? Check(string intermediateDirectory, string key)
    {
        var memo = Read(Path.Combine(intermediateDirectory, FileName));
        if (memo is null || memo.Key != key) return null;
        // The fingerprint is forgotten while outputs are switched and rewritten by every publish
        // that builds: a memo of an earlier fingerprint is stale.
        if (PlanFingerprint.Read(intermediateDirectory) != memo.Fingerprint) return null;
        foreach (var line in memo.Files)
            if (Recheck(line) != line) return null;
        foreach (var output in memo.Outputs)
            if (!(output.EndsWith('/') ? Directory.Exists(output) : File.Exists(output))) return null;
        return memo;
    }

    public void Write(string intermediateDirectory)
    {
        var text = new StringBuilder().AppendLine(Header);
        text.Append("key\t").AppendLine(Key);
        text.Append("fingerprint\t").AppendLine(Fingerprint);
        text.Append("summary\t").AppendLine(Summary);
        foreach (var file in Files) text.Append("file\t").AppendLine(file);
        foreach (var output in Outputs) text.Append("output\t").AppendLine(output);
        foreach (var (name, value) in Reported) text.Append("reported\t").Append(name).Append('\t').AppendLine(value);
        AtomicFile.WriteAllText(Path.Combine(intermediateDirectory, FileName), text.ToString());
    }

    /// <summary>A publish that cannot record a memo removes the last one, which speaks of other inputs.</summary>
    public static void Forget(string intermediateDirectory) => File.Delete(Path.Combine(intermediateDirectory, FileName));

    private static UpToDateMemo? Read(string path)
    {
        string[] lines;
        try
        {
            if (!File.Exists(path)) return null;
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        if (lines.Length == 0 || lines[0] != Header) return null;
        string? key = null, fingerprint = null, summary = null;
        var files = new List<string>();
        var outputs = new List<string>();
        var reported = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(1))
        {
            var tab = line.IndexOf('\t');
            if (tab < 0) return null;
            var value = line[(tab + 1)..];
            switch (line[..tab])
            {
                case "key": key = value; break;
                case "fingerprint": fingerprint = value; break;
                case "summary": summary = value; break;
                case "file": files.Add(value); break;
                case "output": outputs.Add(value); break;
                case "reported" when value.IndexOf('\t') is var at and >= 0: reported[value[..at]] = value[(at + 1)..]; break;
                default: return null;
            }
        }
        return key is null || fingerprint is null || summary is null ? null : new UpToDateMemo(key, fingerprint, files, outputs, reported, summary);
    }

    /// <summary>
    /// A file as the fingerprint sees it, "KIND\tPATH\tLINE": a stat line (size and mtime), or for
    /// a local base image (a file, or a layout folder) the hash of every file's stat line in it, so
    /// that a file added, removed or changed shows.
    /// </summary>
    private static string Entry(string path, bool tree) => tree ? $"tree\t{path}\t{TreeLine(path)}" : $"stat\t{path}\t{PlanFingerprint.StatLine(path)}";

    private static string? Recheck(string entry)
    {
        var parts = entry.Split('\t');
        return parts.Length == 3 && parts[0] is "stat" or "tree" ? Entry(parts[1], parts[0] == "tree") : null;
    }

    private static string TreeLine(string path)
    {
        var text = new StringBuilder();
        foreach (var file in PlanFingerprint.BaseImageFiles(path)) text.AppendLine(PlanFingerprint.StatLine(file));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
