using System.Text;
using Modulus.Plan;
using Modulus.Debian;
using Modulus.Diagnostics;

namespace Modulus.Pipeline;

/// <summary>
/// The Debian packages of the plan, installed on the base as one layer below everything Modulus
/// adds. An error points at the package it names, else at the first package declared.
/// </summary>
internal sealed class DebianStep : PublishStep
{
    /// <summary>Per request; the installer retries failed downloads itself, and a large .deb on a slow mirror needs minutes.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromMinutes(5);

    private const string History = "Modulus: Debian packages";

    public override string Name => "Debian";

    public override SourceLocation LocationOf(ImagePlan plan, ModulusException error) =>
        plan.Debian?.LocationFor(error.Text) ?? SourceLocation.Unknown;

    public override async Task<IReadOnlyList<StepLayer>> RunAsync(StepContext context)
    {
        if (context.Plan.Debian is not { } debian) return [];
        var log = context.Log;
        log.Detail($"Installing Debian packages {string.Join(", ", debian.Request.Packages)} from {debian.Request.Suite}");
        DebianInstallation installation;
        using (var http = context.DebianHttp())
            installation = await DebianInstaller.PlanAsync(debian.Request, context.Base, context.Store, http, context.Cancellation, context.Progress, context.View);
        foreach (var warning in installation.Warnings) log.Report(warning);
        context.Debian = installation;
        log.Detail($"Writing a layer of {installation.Packages.Count} Debian packages");
        return [context.WriteLayer(installation.Entries, History, foldersFromBelow: true, installation.Appended)];
    }

    /// <summary>
    /// The inputs beyond the plan's own fields: the mirror variable (the request leaves it unset)
    /// and the lock file's entries for the plan's architectures, so an edited or refreshed lock
    /// rebuilds the image, and another platform's architecture added to a shared lock does not.
    /// </summary>
    public static void AppendFingerprint(StringBuilder text, ImagePlan plan)
    {
        if (plan.Debian is not { } debian) return;
        text.Append("debian-mirror|").AppendLine(Environment.GetEnvironmentVariable(DebianInstaller.MirrorVariable));
        if (debian.Request.LockFilePath is not { } lockPath) return;
        text.Append(lockPath).Append('|');
        text.AppendLine(DebianLockFile.Fingerprint(lockPath, Architectures(plan)));
    }

    /// <summary>A platform without a Debian architecture is named as it is: its build fails with MOD3016 anyway.</summary>
    private static IEnumerable<string> Architectures(ImagePlan plan) =>
        (plan.IsMultiPlatform ? plan.Platforms : [plan.Platform]).Select(p => DebianRequest.TryArchitectureOf(p) ?? p.ToString());

    /// <summary>
    /// Warnings that hold for every publish of the plan, including one that is up to date and so
    /// never runs the installer (which gives the same text when it runs).
    /// </summary>
    public static void WarnUpToDate(PlannedDebian? debian, IBuildLog log)
    {
        if (debian is { Request.VerifySignatures: false }) log.Report(DebianInstaller.SignaturesNotVerified(debian.Request));
    }
}
