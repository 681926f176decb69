using Modulus.Images;
using Modulus.Layers;
using Modulus.Plan;

namespace Modulus.Pipeline;

/// <summary>The entries of the project's files layer and of each app's layer, in the order they are stacked.</summary>
public sealed record PlannedLayers(IReadOnlyList<LayerEntry> Files, IReadOnlyList<(PlannedApp App, IReadOnlyList<LayerEntry> Entries)> Apps);

/// <summary>
/// The files layer and the apps' layers as the project declares them, checked and measured once
/// per publish (<see cref="LayerPlanner.Declare(ImagePlan)"/>). Only an Owner that names an account
/// is left open: the image's accounts are known once the layers below exist, and
/// <see cref="Resolve"/> looks them up then, once for every platform an image is built for.
/// </summary>
public sealed class DeclaredLayers
{
    internal DeclaredLayers(IReadOnlyList<DeclaredEntry> files, IReadOnlyList<DeclaredApp> apps)
    {
        Files = files;
        Apps = apps;
    }

    internal IReadOnlyList<DeclaredEntry> Files { get; }

    /// <summary>Each app's entries; an app published once per platform has one per runtime identifier.</summary>
    internal IReadOnlyList<DeclaredApp> Apps { get; }

    /// <summary>
    /// The layers of one platform's image: the files layer, and each app's entries of that
    /// platform's runtime identifier (or those made for every platform).
    /// </summary>
    public DeclaredLayers ForPlatform(Oci.Platform platform)
    {
        if (Apps.All(a => a.RuntimeIdentifier is null)) return this;
        var rid = DotNet.DotnetRuntimeRequest.TryRuntimeIdentifier(platform);
        return new DeclaredLayers(Files, Apps.Where(a => a.RuntimeIdentifier is null || a.RuntimeIdentifier == rid).ToList());
    }

    /// <summary>
    /// The entries with every owner's ids. <paramref name="accounts"/> is asked for once, and only
    /// when an Owner uses a name; null leaves names at root (for checks that need no ids).
    /// Errors point at the item whose Owner failed.
    /// </summary>
    public PlannedLayers Resolve(Func<AccountDatabase>? accounts)
    {
        AccountDatabase? database = null;
        IReadOnlyList<LayerEntry> Entries(IReadOnlyList<DeclaredEntry> declared) => declared.Select(d =>
        {
            if (d.Owner is not { UsesNames: true } owner || accounts is null) return d.Entry;
            var (uid, gid) = Located.Run(d.Location, () => owner.Resolve(() => database ??= accounts(), d.ItemName));
            return d.Entry with { Uid = uid, Gid = gid };
        }).ToList();
        return new PlannedLayers(Entries(Files), Apps.Select(a => (a.App, Entries(a.Entries))).ToList());
    }
}

/// <summary>An entry as declared; when <see cref="Owner"/> names an account, the entry's ids wait for <see cref="DeclaredLayers.Resolve"/>.</summary>
internal sealed record DeclaredEntry(LayerEntry Entry, OwnerSpec? Owner, string ItemName, Diagnostics.SourceLocation Location);

/// <summary>An app's entries as declared: of every platform, or of the publish for <see cref="RuntimeIdentifier"/>.</summary>
internal sealed record DeclaredApp(PlannedApp App, string? RuntimeIdentifier, IReadOnlyList<DeclaredEntry> Entries);
