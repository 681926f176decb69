using System.Security.Cryptography;
using System.Text;
using Modulus.Debian;
using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Layers;
using Modulus.Storage;

namespace Modulus.Publishing;

/// <summary>
/// The publish's Debian step: what the packages add to the fingerprint, the layer that installs
/// them below the project's files.
/// </summary>
internal static class DebianStep
{
    /// <summary>Per request; the installer retries failed downloads itself, and a large .deb on a slow mirror needs minutes.</summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The inputs beyond the plan's own fields: the mirror variable (the request leaves it unset)
    /// and the lock file's content, so an edited or refreshed lock rebuilds the image.
    /// </summary>
    public static void AppendFingerprint(StringBuilder text, PlannedDebian? debian)
    {
        if (debian is null) return;
        text.Append("debian-mirror|").AppendLine(Environment.GetEnvironmentVariable(DebianInstaller.MirrorVariable));
        if (debian.Request.LockFilePath is not { } lockPath) return;
        text.Append(lockPath).Append('|');
        text.AppendLine(File.Exists(lockPath) ? Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(lockPath))) : "missing");
    }

    /// <summary>
    /// Warnings that hold for every publish of the plan, including one that is up to date and so
    /// never runs the installer (which gives the same text when it runs).
    /// </summary>
    public static void WarnUpToDate(PlannedDebian? debian, IPublishLog log)
    {
        if (debian is { Request.VerifySignatures: false })
            Warn(log, Errors.DebianSignaturesNotVerified.Format(debian.Request.Mirror ?? debian.Request.Suite));
    }

    /// <summary>Installs the packages on <paramref name="baseImage"/> as one layer, over one HTTP client for the whole publish.</summary>
    public static async Task<(AppendedLayer Layer, DebianInstallation Installation)> InstallAsync(
        PlannedDebian debian, Image baseImage, BlobStore store, LayerWriterOptions options, PublishProgress progress, CancellationToken cancellationToken)
    {
        var log = progress.Log;
        log.Detail($"Installing Debian packages {string.Join(", ", debian.Request.Packages)} from {debian.Request.Suite}");
        DebianInstallation installation;
        try
        {
            using var http = new HttpClient { Timeout = RequestTimeout };
            installation = await DebianInstaller.PlanAsync(debian.Request, baseImage, store, http, cancellationToken, progress);
        }
        catch (ModulusException e) when (e.File is null && debian.LocationFor(e.Text) is { File: not null } location)
        {
            throw e.At(location.File, location.Line);
        }
        foreach (var warning in installation.Warnings) Warn(log, warning);
        log.Detail($"Writing a layer of {installation.Packages.Count} Debian packages");
        var writing = progress.Activity("Writing layer 'Modulus: Debian packages'");
        var layer = installation.WriteLayer(store, options with { Progress = writing });
        writing.End();
        return (layer, installation);
    }

    /// <summary>The library's warnings start with their code ("MOD3017: ..."), which the log keeps apart.</summary>
    private static void Warn(IPublishLog log, string warning)
    {
        var colon = warning.IndexOf(": ", StringComparison.Ordinal);
        if (colon > 0) log.Warning(warning[..colon], warning[(colon + 2)..]);
        else log.Warning(string.Empty, warning);
    }
}
