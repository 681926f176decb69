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
    internal DeclaredLayers(IReadOnlyList<DeclaredEntry> files, IReadOnlyList<(PlannedApp App, IReadOnlyList<DeclaredEntry> Entries)> apps)
    {
        Files = files;
        Apps = apps;
    }

    internal IReadOnlyList<DeclaredEntry> Files { get; }

    internal IReadOnlyList<(PlannedApp App, IReadOnlyList<DeclaredEntry> Entries)> Apps { get; }

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
