using Modulus.Diagnostics;
using Modulus.Storage;

namespace Modulus.MSBuild;

/// <summary>ModulusCacheInfo: the blob cache's size and units by area, its limit, and its oldest and newest use.</summary>
public sealed class ShowModulusBlobCache : BlobCacheTask
{
    private protected override void Run(string root, long? limit, IBuildLog log, CancellationToken cancellationToken)
    {
        foreach (var line in BlobCacheInfo.Of(root, limit).Lines()) log.Summary(line);
    }
}
