using Modulus.Contract;
using Modulus.Diagnostics;
using Modulus.Publishing;
using Modulus.Report;

namespace Modulus.Verify;

/// <summary>
/// Verifies the image a publish wrote (its modulus-image.json) in a running container, and writes
/// the results beside it: under "runtime" in modulus-image.json and in image.html's runtime
/// section. Each failed check is an error with its code; the last line says how many failed.
/// </summary>
public static class PublishedImageVerification
{
    /// <summary>
    /// Runs the checks with the standard's values the image was built with (the report's
    /// "standard"), so a property changed since the publish cannot make a good image fail.
    /// </summary>
    public static async Task<IReadOnlyList<RuntimeCheckResult>> VerifyAsync(string manifestPath, string? dockerHost, IBuildLog log,
        CancellationToken cancellationToken)
    {
        var report = ImageReport.TryRead(manifestPath) ?? throw new ModulusException(Errors.VerifyNotPublished, manifestPath, "it is missing or unreadable");
        var standard = report.Standard?.ToStandard()
            ?? throw new ModulusException(Errors.VerifyNotPublished, manifestPath, "it was written by an earlier Modulus, which did not record the standard's values the image was built with");
        // A multi-platform publish's image.tar is this machine's platform's, whose config the report's top fields name.
        var archive = File.ResolveLinkTarget(report.ArchivePath, returnFinalTarget: true)?.FullName ?? report.ArchivePath;
        if (!File.Exists(archive)) throw new ModulusException(Errors.VerifyNotPublished, archive, "the image's tar is missing");
        log.Summary($"Verifying image {report.Repository} ({report.ConfigDigest[..19]}) against the run-image standard in a container");
        var results = await ImageVerifier.VerifyAsync(archive, report.ConfigDigest, standard, dockerHost, log, cancellationToken);

        Write(report with { Runtime = results }, manifestPath, results);
        foreach (var result in results)
        {
            if (result.Passed) log.Detail($"{result.Code} passed: {result.Check}");
            else log.Report(new Diagnostic(RuntimeChecks.All.Single(c => c.Error.Code == result.Code).Error, DiagnosticSeverity.Error, result.Message!, SourceLocation.Unknown));
        }
        var failed = results.Count(r => !r.Passed);
        if (failed > 0) throw new ModulusException(Errors.VerifyFailed, failed, results.Count);
        log.Summary($"Verified image {report.Repository}: all {results.Count} run-time checks of the standard passed");
        return results;
    }

    private static void Write(ImageReport report, string manifestPath, IReadOnlyList<RuntimeCheckResult> results)
    {
        report.Write(manifestPath);
        if (report.PagePath is { } page && ReportPage.TryReadContents(page) is { } contents)
            ReportPage.Write(page, contents with { Runtime = results });
    }
}
