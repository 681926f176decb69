using Microsoft.Build.Framework;
using Modulus.Diagnostics;
using Modulus.Storage;

namespace Modulus.MSBuild;

/// <summary>
/// What the blob cache's targets (ModulusCacheInfo, ModulusPruneCache, ModulusVerifyCache) share:
/// the cache's folder and limit, and one way to run the core and log its lines and diagnostics.
/// </summary>
public abstract class BlobCacheTask : Microsoft.Build.Utilities.Task, ICancelableTask
{
    private readonly CancellationTokenSource _cancellation = new();

    /// <summary>ModulusBlobCache: the folder of cached blobs shared between builds.</summary>
    [Required]
    public string BlobCache { get; set; } = string.Empty;

    /// <summary>ModulusBlobCacheLimit: a size (10GB, 500MB), none, or 0; empty is the default.</summary>
    public string? BlobCacheLimit { get; set; }

    /// <summary>The project being built, where diagnostics are shown.</summary>
    public string? ProjectFile { get; set; }

    public void Cancel() => _cancellation.Cancel();

    public override bool Execute()
    {
        var log = new TaskBuildLog(Log, ProjectFile);
        try
        {
            var root = Path.GetFullPath(BlobCache, Path.GetDirectoryName(ProjectFile) ?? Directory.GetCurrentDirectory());
            Run(root, Storage.BlobCacheLimit.Parse(BlobCacheLimit), log, _cancellation.Token);
        }
        catch (ModulusException e)
        {
            log.Report(Diagnostic.Of(e));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Report(Diagnostic.Of(new ModulusException(Errors.BlobCacheUnreadable, e, BlobCache, e.Message)));
        }
        catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
        {
            return false;
        }
        return !Log.HasLoggedErrors;
    }

    /// <summary>The target's work: <paramref name="limit"/> is null for no limit.</summary>
    private protected abstract void Run(string root, long? limit, IBuildLog log, CancellationToken cancellationToken);

    /// <summary>Each unit a removal failed for: a warning after a publish, an error when removing was what was asked.</summary>
    private protected static void ReportFailures(IEnumerable<(string Path, string Reason)> failed, IBuildLog log)
    {
        foreach (var (path, reason) in failed) log.Report(Diagnostic.Failure(Errors.BlobCacheRemoveFailed, SourceLocation.Unknown, path, reason));
    }
}
