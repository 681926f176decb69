using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Layers;
using Modulus.Plan;

namespace Modulus.Pipeline;

/// <summary>
/// Turns the plan's declarations into layer entries: destinations, modes and owners read,
/// sources checked and measured, each path declared once across the files layer and the apps'
/// layers (a path of an upper layer would silently hide the lower one's). Every error points at
/// the item that caused it. A publish declares once (<see cref="Declare(ImagePlan)"/>) and resolves
/// owners' names when the image's accounts exist (<see cref="DeclaredLayers.Resolve"/>).
/// </summary>
public static class LayerPlanner
{
    /// <summary>The declarations checked, stopping at the first error.</summary>
    public static DeclaredLayers Declare(ImagePlan plan) => Declare(plan, errors: null);

    /// <summary>
    /// The declarations checked, every error recorded in <paramref name="errors"/> instead of
    /// stopping at the first. A declaration that fails is left out, so no later check reports an
    /// error that only follows from it.
    /// </summary>
    public static DeclaredLayers Declare(ImagePlan plan, InputErrors? errors)
    {
        var declared = new Dictionary<UnixPath, string>();
        var entries = new List<DeclaredEntry>();

        void Run(SourceLocation location, Action declare)
        {
            if (errors is null) Located.Run(location, declare);
            else errors.Check(location, () => Located.Run(location, declare));
        }

        void AddTo(Dictionary<UnixPath, string> declared, List<DeclaredEntry> layer, LayerEntry entry, OwnerSpec? owner, string itemName, SourceLocation location, string description)
        {
            if (declared.TryGetValue(entry.Path, out var first))
                throw new ModulusException(Errors.DuplicateDestination, entry.Path, first, description);
            declared.Add(entry.Path, description);
            layer.Add(new DeclaredEntry(entry, owner, itemName, location));
        }

        // Numeric ids are known now; a name stays root until DeclaredLayers.Resolve looks it up.
        static (int Uid, int Gid) Ids(OwnerSpec? owner, string itemName) =>
            owner is { UsesNames: false } numeric ? numeric.Resolve(() => throw new InvalidOperationException(), itemName) : (0, 0);

        foreach (var file in plan.Files)
        {
            var description = $"ModulusFile '{file.Name}' ({file.Location})";
            Run(file.Location, () =>
            {
                var path = FileDestination.Resolve(file);
                var mode = PermissionMode.Or(file.Mode, LayerEntry.DefaultFileMode);
                var (uid, gid) = Ids(file.Owner, file.Name);
                FileContent content;
                if (file.Content is not null) content = FileContent.FromText(file.Content, $"the Content of ModulusFile '{file.Name}'");
                else if (file.SourcePath is not null && File.Exists(file.SourcePath)) content = FileContent.FromFile(file.SourcePath);
                // MSBuild gives a folder's Include as one item; what the user meant is its files.
                else if (file.SourcePath is not null && Directory.Exists(file.SourcePath))
                    throw new ModulusException(Errors.FileSourceIsFolder, file.Name, file.Name.TrimEnd('/', '\\') + "/**");
                else throw new ModulusException(Errors.FileSourceMissing, file.SourcePath ?? file.Name);
                AddTo(declared, entries, new FileEntry(path, content, uid, gid, mode), file.Owner, file.Name, file.Location, description);
            });
        }
        foreach (var directory in plan.Directories)
        {
            Run(directory.Location, () =>
            {
                var (uid, gid) = Ids(directory.Owner, directory.Name);
                var mode = PermissionMode.Or(directory.Mode, LayerEntry.DefaultDirectoryMode);
                AddTo(declared, entries, new DirectoryEntry(directory.Path, uid, gid, mode), directory.Owner, directory.Name, directory.Location,
                    $"ModulusDirectory '{directory.Name}' ({directory.Location})");
            });
        }
        foreach (var symlink in plan.Symlinks)
        {
            Run(symlink.Location, () =>
            {
                if (string.IsNullOrWhiteSpace(symlink.LinkTarget)) throw new ModulusException(Errors.SymlinkTargetMissing, symlink.Name);
                var (uid, gid) = Ids(symlink.Owner, symlink.Name);
                AddTo(declared, entries, new SymlinkEntry(symlink.Path, symlink.LinkTarget.Trim(), uid, gid), symlink.Owner, symlink.Name, symlink.Location,
                    $"ModulusSymlink '{symlink.Name}' ({symlink.Location})");
            });
        }
        // An app published once per platform (its files carry a runtime identifier) is declared
        // once per runtime identifier: each platform's image holds the files layer and that
        // platform's app files, and a path may be declared once in each.
        var runtimeIdentifiers = plan.Apps.SelectMany(a => a.Files).Select(f => f.RuntimeIdentifier).OfType<string>()
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (runtimeIdentifiers.Length > 0)
            foreach (var platform in plan.Platforms.Where(p => DotNet.DotnetRuntimeRequest.TryRuntimeIdentifier(p) is not { } rid || !runtimeIdentifiers.Contains(rid)))
                foreach (var app in plan.Apps.Where(a => a.Files.Any(f => f.RuntimeIdentifier is not null)))
                    Run(app.Location, () => throw new ModulusException(Errors.AppNotPublishedForPlatform, app.Reference, string.Join(", ", runtimeIdentifiers), platform));
        var apps = new List<DeclaredApp>();
        foreach (var runtimeIdentifier in runtimeIdentifiers.Length == 0 ? [null] : runtimeIdentifiers.Cast<string?>())
        {
            var scope = new Dictionary<UnixPath, string>(declared);
            var ofScope = new List<DeclaredApp>();
            foreach (var app in plan.Apps)
            {
                var appEntries = new List<DeclaredEntry>();
                Run(app.Location, () =>
                {
                    app.Validate();
                    var folder = app.DestinationFolder();
                    var (uid, gid) = Ids(app.Owner, app.Reference);
                    var description = $"ProjectReference '{app.Reference}' ({app.Location})";
                    foreach (var file in app.Files.Where(f => f.RuntimeIdentifier is null || f.RuntimeIdentifier == runtimeIdentifier))
                    {
                        if (!File.Exists(file.SourcePath)) throw new ModulusException(Errors.AppOutputMissing, app.Reference, file.SourcePath);
                        var entry = new FileEntry(folder.Combine(file.RelativePath), FileContent.FromFile(file.SourcePath), uid, gid, app.FileMode(file));
                        AddTo(scope, appEntries, entry, app.Owner, app.Reference, app.Location, description);
                    }
                });
                ofScope.Add(new DeclaredApp(app, runtimeIdentifier, appEntries));
            }
            RefuseFilesHoldingEntries(entries.Concat(ofScope.SelectMany(a => a.Entries)).Select(d => d.Entry), scope, errors);
            apps.AddRange(ofScope);
        }
        return new DeclaredLayers(entries, apps);
    }

    /// <summary>Checks what needs no base image: destinations, paths declared twice, sources on disk.</summary>
    public static void Validate(ImagePlan plan) => Declare(plan);

    /// <summary>The entries of the image's files layer; see <see cref="Layers"/>.</summary>
    public static IReadOnlyList<LayerEntry> Entries(ImagePlan plan, Func<AccountDatabase>? accounts) => Layers(plan, accounts).Files;

    /// <summary>The entries of the files layer and of each app's layer, declared and resolved in one go.</summary>
    public static PlannedLayers Layers(ImagePlan plan, Func<AccountDatabase>? accounts) => Declare(plan).Resolve(accounts);

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
