using Modulus.Diagnostics;
using Modulus.Storage;

namespace Modulus.MSBuild;

/// <summary>ModulusVerifyCache: re-hashes every blob, checks what has a mark of completeness, and removes and reports what is damaged.</summary>
public sealed class VerifyModulusBlobCache : BlobCacheTask
{
    private protected override void Run(string root, long? limit, IBuildLog log, CancellationToken cancellationToken)
    {
        var verified = BlobCacheVerifier.VerifyAsync(root, cancellationToken).GetAwaiter().GetResult();
        foreach (var damage in verified.Removed)
        {
            log.Report(damage.Blob is { } blob
                ? Diagnostic.Warning(Errors.CachedBlobCorrupt, SourceLocation.Unknown, blob, damage.Path, damage.Size, damage.Actual)
                : Diagnostic.Warning(Errors.BlobCacheUnitDamaged, SourceLocation.Unknown, damage.Path, damage.Problem));
        }
        ReportFailures(verified.Failed, log);
        log.Summary($"Verified the blob cache {verified.Root}: {verified.Checked} units checked ({Storage.BlobCacheLimit.Format(verified.CheckedBytes)} of blobs hashed), {verified.Removed.Count} damaged and removed");
    }
}
