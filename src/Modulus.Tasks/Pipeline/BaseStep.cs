using Modulus.Debian;
using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Layers;
using Modulus.Plan;
using Modulus.Storage;

namespace Modulus.Pipeline;

/// <summary>The base image, with its blobs in the store: a registry base is pulled, a local one copied. Errors point at the base image's declaration.</summary>
internal sealed class BaseStep : PublishStep
{
    public const string StepName = "Base";

    public override string Name => StepName;

    public override SourceLocation LocationOf(ImagePlan plan, ModulusException error) => plan.BaseImageLocation;

    /// <summary>
    /// The base's files whose bodies later steps read, kept in the one read of its layers: the
    /// account files (owners, the contract's accounts, the validator), dpkg's records (Debian) and
    /// dpkg's lists of each package's files (image.html names the package that owns a file).
    /// </summary>
    public static bool KeepsBody(UnixPath path) =>
        AccountDatabase.IsAccountFile(path) || BaseSystem.ReadsBody(path) || Report.DpkgOwners.IsFileList(path);

    public override async Task<IReadOnlyList<StepLayer>> RunAsync(StepContext context)
    {
        var plan = context.Plan;
        context.Log.Detail($"Loading base image {plan.BaseImage} for {plan.Platform}");
        context.Base = await RegistryStep.LoadBaseAsync(plan, context.Store, context.Registry, context.Progress, context.Cancellation);
        // Every base layer is read whole and checked here, whatever the later steps ask of the
        // view: a hostile layer must not go out unread because the project touches none of its
        // folders. A layer checked before is remembered by diffID (the layer-entries memo) and not read.
        _ = context.View;
        return [];
    }

    /// <summary>
    /// The merged view of <paramref name="baseImage"/>, each layer read in full unless the memo
    /// remembers it. A layer refused as broken, or whose tar is not its diffID, is first told
    /// apart from a cached blob damaged since it was stored, which is removed (MOD2220) so the
    /// next build fetches it again; only then is the source blamed.
    /// </summary>
    public static ImageFileSystem ReadView(Image baseImage, BlobStore store)
    {
        try
        {
            return ImageFileSystem.Read(baseImage.Layers, KeepsBody, new LayerEntriesMemo(store));
        }
        catch (ModulusException e) when (BrokenLayer.Contains(e.Error))
        {
            foreach (var layer in baseImage.Layers.OfType<BlobLayer>().Where(l => store.Contains(l.Digest))) store.EnsureIntact(layer.Digest);
            throw;
        }
    }

    private static readonly ErrorCode[] BrokenLayer =
        [Errors.TarEntryEscapesRoot, Errors.TarLinkEscapesRoot, Errors.TarTruncated, Errors.TarUnreadable, Errors.TarEntryUnsupported,
         Errors.GzipTruncated, Errors.DigestMismatch];
}
