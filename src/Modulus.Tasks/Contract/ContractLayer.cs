using Modulus.Images;
using Modulus.Layers;
using Modulus.Oci;

namespace Modulus.Contract;

/// <summary>
/// Makes a base image a run image: the layer that adds the mop account, start, supervisord's base
/// configuration, the notification listener and my_init, and the config changes that go with it.
/// </summary>
public static class ContractLayer
{
    /// <summary>Docker's PATH for an image that sets none.</summary>
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>
    /// The entries of the contract layer, sorted by path. Account files are the base's (read from
    /// <paramref name="baseView"/>) with mop merged in. Files whose folder is a symbolic link in
    /// the base (/sbin on merged-/usr systems) are written where the link points, and only the
    /// folders the base lacks are declared.
    /// </summary>
    public static IReadOnlyList<LayerEntry> Generate(RunImageStandard standard, StartSpec start, ImageFileSystem baseView)
    {
        StandardCheck.Check(standard);
        var files = new List<LayerEntry>();
        files.AddRange(AccountLayer.Entries(standard, baseView));
        files.Add(new FileEntry(standard.StartFolder.Combine("start"), StartContent(standard, start), Mode: LayerEntry.DefaultExecutableMode));
        files.Add(Text(standard.SupervisorConfig, ScriptTemplates.SupervisorConfig(standard), LayerEntry.DefaultFileMode));
        files.Add(Text(standard.Notifier, ScriptTemplates.Notifier(standard), LayerEntry.DefaultExecutableMode));
        files.Add(Text(standard.Init, ScriptTemplates.MyInit(standard), LayerEntry.DefaultExecutableMode));

        var others = new List<LayerEntry>();
        if (!baseView.Exists(standard.InitScriptsDirectory)) others.Add(new DirectoryEntry(WhereLinksLead(baseView, standard.InitScriptsDirectory)));
        if (!baseView.Exists(standard.AppStorageLink)) others.Add(new SymlinkEntry(standard.AppStorageLink, standard.AppStorage.Value));
        return Placed(files, others, baseView);
    }

    /// <summary>
    /// <paramref name="files"/> written where the base's folder links lead, with <paramref name="others"/>
    /// and the folders the base lacks declared, sorted by path.
    /// </summary>
    internal static IReadOnlyList<LayerEntry> Placed(IEnumerable<LayerEntry> files, IEnumerable<LayerEntry> others, ImageFileSystem baseView)
    {
        var entries = files.Select(e => e with { Path = WhereLinksLead(baseView, e.Path) }).Concat(others).ToList();
        var declared = entries.Select(e => e.Path).ToHashSet();
        var parents = entries.SelectMany(e => e.Path.Ancestors())
            .Where(p => !p.IsRoot && !baseView.Exists(p) && declared.Add(p))
            .Select(p => new DirectoryEntry(p))
            .ToArray();
        return [.. entries.Concat(parents).OrderBy(e => e.Path)];
    }

    /// <summary>
    /// The config of a run image: the /mnt volume, the standard's environment with the start
    /// folder first on the base's PATH, the mop user, and my_init as the command (the base's
    /// entrypoint is cleared so that it cannot wrap my_init).
    /// </summary>
    public static ConfigChanges ConfigChanges(RunImageStandard standard, ImageConfig baseConfig)
    {
        return new ConfigChanges
        {
            Volumes = [standard.Volume.Value],
            Environment = [.. standard.Environment, new("PATH", PathWith(standard.StartFolder, baseConfig))],
            User = standard.User,
            Entrypoint = [],
            Cmd = standard.Command,
        };
    }

    /// <summary>
    /// The contract's config changes with the project's applied over them, for one ImageBuilder
    /// call: environment, volumes, ports and labels are merged with the project's last (so its
    /// values win); User, WorkingDir, Entrypoint, Cmd and StopSignal are the project's when it sets
    /// them. A project Entrypoint without a Cmd drops my_init as Cmd, as Docker drops a base's Cmd.
    /// The validator then says whether the result still follows the standard.
    /// </summary>
    public static ConfigChanges ConfigChanges(RunImageStandard standard, ImageConfig baseConfig, ConfigChanges project) =>
        WithProject(ConfigChanges(standard, baseConfig), project);

    /// <summary>The standard's config changes with the project's applied over them, as <see cref="ConfigChanges(RunImageStandard, ImageConfig, Images.ConfigChanges)"/> says.</summary>
    internal static ConfigChanges WithProject(ConfigChanges contract, ConfigChanges project)
    {
        return new ConfigChanges
        {
            Environment = [.. contract.Environment.Where(c => project.Environment.All(p => p.Key != c.Key)), .. project.Environment],
            Labels = project.Labels,
            Volumes = [.. contract.Volumes.Union(project.Volumes)],
            ExposedPorts = project.ExposedPorts,
            User = project.User ?? contract.User,
            WorkingDir = project.WorkingDir,
            StopSignal = project.StopSignal,
            Entrypoint = project.Entrypoint ?? contract.Entrypoint,
            Cmd = project.Entrypoint is not null ? project.Cmd : project.Cmd ?? contract.Cmd,
        };
    }

    /// <summary>The base's PATH (Docker's default when it has none) with <paramref name="folder"/> first, once.</summary>
    internal static string PathWith(UnixPath folder, ImageConfig baseConfig)
    {
        var path = baseConfig.GetEnv("PATH") ?? DefaultPath;
        return path.Split(':').Contains(folder.Value) ? path : folder.Value + ":" + path;
    }

    private static FileContent StartContent(RunImageStandard standard, StartSpec start) => start switch
    {
        StartSpec.Script script => script.Content,
        StartSpec.Command command => FileContent.FromText(ScriptTemplates.Start(standard, command), "generated start"),
        StartSpec.AppStart => FileContent.FromText(ScriptTemplates.AppStart(standard), "generated start"),
        _ => throw new ArgumentOutOfRangeException(nameof(start)),
    };

    internal static FileEntry Text(UnixPath path, string text, int mode) =>
        new(path, FileContent.FromText(text, "generated " + path.Value), Mode: mode);

    /// <summary>
    /// The path with the symbolic links of the base's folders followed: the deepest folder of the
    /// path that the base has is resolved and the rest appended, so that the layer never puts a
    /// folder where the base has a link.
    /// </summary>
    internal static UnixPath WhereLinksLead(ImageFileSystem baseView, UnixPath path)
    {
        var missing = new Stack<string>();
        missing.Push(path.Name);
        for (var folder = path.Parent; folder is { } f; folder = f.Parent)
        {
            if (baseView.Resolve(f) is { } resolved) return missing.Aggregate(resolved, (p, name) => p.Combine(name));
            missing.Push(f.Name);
        }
        return path;
    }
}
