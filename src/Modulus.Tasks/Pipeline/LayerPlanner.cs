using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Layers;
using Modulus.Plan;

namespace Modulus.Pipeline;

/// <summary>The entries of the project's files layer and of each app's layer, in the order they are stacked.</summary>
public sealed record PlannedLayers(IReadOnlyList<LayerEntry> Files, IReadOnlyList<(PlannedApp App, IReadOnlyList<LayerEntry> Entries)> Apps);

/// <summary>
/// Turns the plan's declarations into layer entries: destinations, modes and owners resolved,
/// sources checked, each path declared once across the files layer and the apps' layers (a path
/// of an upper layer would silently hide the lower one's). Every error points at the item that
/// caused it.
/// </summary>
public static class LayerPlanner
{
    /// <summary>Checks what needs no base image: destinations, paths declared twice, sources on disk.</summary>
    public static void Validate(ImagePlan plan) => Layers(plan, accounts: null);

    /// <summary>
    /// Checks as <see cref="Validate(ImagePlan)"/>, but records every error in <paramref name="errors"/>
    /// instead of stopping at the first. A declaration that fails is left out, so no later check
    /// reports an error that only follows from it.
    /// </summary>
    public static void Validate(ImagePlan plan, InputErrors errors) => Layers(plan, accounts: null, errors);

    /// <summary>The entries of the image's files layer; see <see cref="Layers(ImagePlan, Func{AccountDatabase})"/>.</summary>
    public static IReadOnlyList<LayerEntry> Entries(ImagePlan plan, Func<AccountDatabase>? accounts) => Layers(plan, accounts).Files;

    /// <summary>
    /// The entries of the files layer and of each app's layer. <paramref name="accounts"/> is
    /// asked for once, and only when an Owner uses a name; null means validation only, leaving
    /// names unresolved.
    /// </summary>
    public static PlannedLayers Layers(ImagePlan plan, Func<AccountDatabase>? accounts) => Layers(plan, accounts, errors: null);

    private static PlannedLayers Layers(ImagePlan plan, Func<AccountDatabase>? accounts, InputErrors? errors)
    {
        AccountDatabase? database = null;
        var declared = new Dictionary<UnixPath, string>();
        var entries = new List<LayerEntry>();

        void Add(LayerEntry entry, string description) => AddTo(entries, entry, description);

        void Run(SourceLocation location, Action declare)
        {
            if (errors is null) Located.Run(location, declare);
            else errors.Check(location, () => Located.Run(location, declare));
        }

        void AddTo(List<LayerEntry> layer, LayerEntry entry, string description)
        {
            if (declared.TryGetValue(entry.Path, out var first))
                throw new ModulusException(Errors.DuplicateDestination, entry.Path, first, description);
            declared.Add(entry.Path, description);
            layer.Add(entry);
        }

        (int Uid, int Gid) Owner(OwnerSpec? owner, string itemName)
        {
            var spec = owner ?? OwnerSpec.Root;
            if (spec.UsesNames && accounts is null) return (0, 0);
            return spec.Resolve(() => database ??= accounts!(), itemName);
        }

        foreach (var file in plan.Files)
        {
            var description = $"ModulusFile '{file.Name}' ({file.Location})";
            Run(file.Location, () =>
            {
                var path = FileDestination.Resolve(file);
                var mode = PermissionMode.Or(file.Mode, LayerEntry.DefaultFileMode);
                var (uid, gid) = Owner(file.Owner, file.Name);
                FileContent content;
                if (file.Content is not null) content = FileContent.FromText(file.Content, $"the Content of ModulusFile '{file.Name}'");
                else if (file.SourcePath is not null && File.Exists(file.SourcePath)) content = FileContent.FromFile(file.SourcePath);
                // MSBuild gives a folder's Include as one item; what the user meant is its files.
                else if (file.SourcePath is not null && Directory.Exists(file.SourcePath))
                    throw new ModulusException(Errors.FileSourceIsFolder, file.Name, file.Name.TrimEnd('/', '\\') + "/**");
                else throw new ModulusException(Errors.FileSourceMissing, file.SourcePath ?? file.Name);
                Add(new FileEntry(path, content, uid, gid, mode), description);
            });
        }
        foreach (var directory in plan.Directories)
        {
            Run(directory.Location, () =>
            {
                var (uid, gid) = Owner(directory.Owner, directory.Name);
                var mode = PermissionMode.Or(directory.Mode, LayerEntry.DefaultDirectoryMode);
                Add(new DirectoryEntry(directory.Path, uid, gid, mode), $"ModulusDirectory '{directory.Name}' ({directory.Location})");
            });
        }
        foreach (var symlink in plan.Symlinks)
        {
            Run(symlink.Location, () =>
            {
                if (string.IsNullOrWhiteSpace(symlink.LinkTarget)) throw new ModulusException(Errors.SymlinkTargetMissing, symlink.Name);
                var (uid, gid) = Owner(symlink.Owner, symlink.Name);
                Add(new SymlinkEntry(symlink.Path, symlink.LinkTarget.Trim(), uid, gid), $"ModulusSymlink '{symlink.Name}' ({symlink.Location})");
            });
        }
        var apps = new List<(PlannedApp, IReadOnlyList<LayerEntry>)>();
        foreach (var app in plan.Apps)
        {
            var appEntries = new List<LayerEntry>();
            Run(app.Location, () =>
            {
                app.Validate();
                var folder = app.DestinationFolder();
                var (uid, gid) = Owner(app.Owner, app.Reference);
                var description = $"ProjectReference '{app.Reference}' ({app.Location})";
                foreach (var file in app.Files)
                {
                    if (!File.Exists(file.SourcePath)) throw new ModulusException(Errors.AppOutputMissing, app.Reference, file.SourcePath);
                    var entry = new FileEntry(folder.Combine(file.RelativePath), FileContent.FromFile(file.SourcePath), uid, gid, app.FileMode(file));
                    AddTo(appEntries, entry, description);
                }
            });
            apps.Add((app, appEntries));
        }
        RefuseFilesHoldingEntries(entries.Concat(apps.SelectMany(a => a.Item2)), declared, errors);
        return new PlannedLayers(entries, apps);
    }

    /// <summary>
    /// A file or link that another declaration puts something below: in one layer the layer
    /// writer refuses it, but across the files layer and the apps' layers the upper layer would
    /// silently turn the file into a folder.
    /// </summary>
    private static void RefuseFilesHoldingEntries(IEnumerable<LayerEntry> all, Dictionary<UnixPath, string> declared, InputErrors? errors)
    {
        var list = all.ToList();
        var leaves = list.Where(e => e is not DirectoryEntry).Select(e => e.Path).ToHashSet();
        foreach (var entry in list)
            foreach (var ancestor in entry.Path.Ancestors())
                if (leaves.Contains(ancestor))
                {
                    var error = new ModulusException(Errors.PathIsFileAndFolder, ancestor, declared[ancestor], declared[entry.Path], entry.Path);
                    if (errors is null) throw error;
                    errors.Record(error);
                }
    }
}
