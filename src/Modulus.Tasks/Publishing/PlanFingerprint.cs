using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Modulus.Layers;
using Modulus.Pipeline;
using Modulus.Plan;
using Modulus.Storage;

namespace Modulus.Publishing;

/// <summary>
/// A digest of everything a publish depends on: every field of the plan (the contract's settings
/// among them), each source file's and the start script's full path, size and mtime, each published app file's path and
/// content, the base image's files' sizes and mtimes, and the build of Modulus itself. Equal fingerprints mean publishing again would write the same image.
/// </summary>
public static class PlanFingerprint
{
    public const string FileName = "modulus-image.fingerprint";

    /// <param name="plan">The plan.</param>
    /// <param name="baseImageDigest">For a registry base image, the manifest digest its reference stands for now.</param>
    public static string Compute(ImagePlan plan, string? baseImageDigest = null) => WithDebianLock(Inputs(plan, baseImageDigest), plan);

    /// <summary>
    /// The fingerprint of <paramref name="inputs"/> and the Debian lock file's entries for the
    /// plan's architectures as they are now: a publish may write the lock file, and must not read
    /// every other input again to see it.
    /// </summary>
    public static string WithDebianLock(string inputs, ImagePlan plan)
    {
        var text = new StringBuilder(inputs).AppendLine();
        DebianStep.AppendFingerprint(text, plan);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>Everything but the Debian lock file, hashed: the inputs a publish never changes.</summary>
    public static string Inputs(ImagePlan plan, string? baseImageDigest = null) => Inputs(plan, LayerPlanner.Declare(plan), baseImageDigest);

    /// <summary>
    /// As <see cref="Inputs(ImagePlan, string?)"/>, for a plan already declared: an app file's
    /// content is hashed once for the fingerprint and the same hash keys its layer (Layers/LayerKey).
    /// </summary>
    public static string Inputs(ImagePlan plan, DeclaredLayers declared, string? baseImageDigest)
    {
        var text = new StringBuilder();
        // A rebuilt Modulus may write different bytes for the same plan.
        text.AppendLine(typeof(PlanFingerprint).Assembly.ManifestModule.ModuleVersionId.ToString());
        text.AppendLine(JsonSerializer.Serialize(plan));
        foreach (var file in plan.Files)
            if (file.SourcePath is not null) AppendStat(text, file.SourcePath);
        // The app's publish output, by content: its own build decides what changed, and it may
        // rewrite a file with the same bytes (a restore for the image's runtime identifier
        // regenerates deps.json on every publish), which must not rebuild the image.
        foreach (var entry in declared.Apps.SelectMany(a => a.Entries).Select(d => d.Entry).OfType<FileEntry>())
            text.Append(entry.Content.Describe()).Append('|').AppendLine(entry.Content.Identity());
        foreach (var path in BaseImageFiles(plan)) AppendStat(text, path);
        if (plan.Contract.StartScript is not null) AppendStat(text, plan.Contract.StartScript);
        if (plan.Contract.BuildScript is not null) AppendStat(text, plan.Contract.BuildScript);
        if (baseImageDigest is not null) text.AppendLine(baseImageDigest);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    public static string? Read(string intermediateDirectory)
    {
        var path = Path.Combine(intermediateDirectory, FileName);
        return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
    }

    public static void Write(string intermediateDirectory, string fingerprint) =>
        AtomicFile.WriteAllText(Path.Combine(intermediateDirectory, FileName), fingerprint);

    public static void Forget(string intermediateDirectory) => File.Delete(Path.Combine(intermediateDirectory, FileName));

    private static void AppendStat(StringBuilder text, string path) => text.AppendLine(StatLine(path));

    /// <summary>A file as the fingerprint sees it: its path, size and mtime, or that it is missing.</summary>
    internal static string StatLine(string path)
    {
        var info = new FileInfo(path);
        return info.Exists
            ? string.Create(CultureInfo.InvariantCulture, $"{path}|{info.Length}|{info.LastWriteTimeUtc.Ticks}")
            : $"{path}|missing";
    }

    /// <summary>The files of a local base image: the file, or every file of the folder, its spec names.</summary>
    private static IEnumerable<string> BaseImageFiles(ImagePlan plan) => plan.BaseImage.Local?.Path is { } path ? BaseImageFiles(path) : [];

    internal static IEnumerable<string> BaseImageFiles(string path)
    {
        if (File.Exists(path)) return [path];
        return Directory.Exists(path) ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray() : [];
    }
}
