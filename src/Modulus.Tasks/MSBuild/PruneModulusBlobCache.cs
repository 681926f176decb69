using Modulus.Diagnostics;
using Modulus.Storage;

namespace Modulus.MSBuild;

/// <summary>ModulusPruneCache: removes least recently used units until the blob cache holds at most its limit, once no publish uses it.</summary>
public sealed class PruneModulusBlobCache : BlobCacheTask
{
    private protected override void Run(string root, long? limit, IBuildLog log, CancellationToken cancellationToken)
    {
        var pruned = BlobCachePruner.PruneAsync(root, limit, cancellationToken).GetAwaiter().GetResult();
        ReportFailures(pruned.Failed, log);
        log.Summary(pruned.Summary());
    }
}
