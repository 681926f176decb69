using Microsoft.Build.Framework;
using Modulus.Debian;
using Modulus.Diagnostics;
using Modulus.Plan;

namespace Modulus.MSBuild;

/// <summary>Maps the ModulusDebian* items and properties to a <see cref="PlannedDebian"/>; unset values keep the library's defaults.</summary>
internal sealed class DebianMapping(PublishModulusImage task, ItemLocator locator)
{
    public PlannedDebian? ToPlanned(string projectDirectory)
    {
        if (task.DebianPackages.Length == 0) return null;
        // The library's request is the one home of every default; the SDK's targets write the same values (a test holds them together).
        var defaults = new DebianRequest { Packages = [] };
        var request = new DebianRequest
        {
            Suite = Text(task.DebianSuite) ?? defaults.Suite,
            Components = Text(task.DebianComponents)?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? defaults.Components,
            Mirror = Text(task.DebianMirror),
            KeyringPath = Text(task.DebianKeyring) is { } keyring ? Path.GetFullPath(keyring, projectDirectory) : null,
            LockFilePath = Text(task.DebianLockFile) is { } lockFile ? Path.GetFullPath(lockFile, projectDirectory) : null,
            RefreshLock = Boolean(task.DebianRefreshLock, "ModulusDebianRefreshLock", defaults.RefreshLock),
            VerifySignatures = Boolean(task.DebianVerifySignatures, "ModulusDebianVerifySignatures", defaults.VerifySignatures),
            MinimalSystem = Text(task.DebianMinimalSystem) is null ? defaults.MinimalSystem : Boolean(task.DebianMinimalSystem, "ModulusDebianMinimalSystem", defaultValue: false),
            Slim = Boolean(task.DebianSlim, "ModulusDebianSlim", defaults.Slim),
            ClearSetuid = Boolean(task.DebianClearSetuid, "ModulusDebianClearSetuid", defaults.ClearSetuid),
            PathRules = PathRules(),
            // Read once, each at its item: a malformed name or relation fails here, before anything is built.
            Packages = task.DebianPackages
                .Select(i => locator.Read(i, "ModulusDebianPackage", () => DebianRequest.Declare(i.ItemSpec, i.GetMetadata("Version"))))
                .ToArray(),
        };
        var locations = task.DebianPackages.Select(i => locator.Of(i, "ModulusDebianPackage")).ToArray();
        return new PlannedDebian(request, locations);
    }

    /// <summary>
    /// The path rules in the order they are declared, as dpkg reads its configuration (the last
    /// match wins): by line within a file; the files of excludes before those of includes. A bad
    /// pattern fails at its item.
    /// </summary>
    private IReadOnlyList<DpkgPathRule> PathRules()
    {
        RefuseExpandedWildcards("ModulusDebianPathExclude", task.DebianPathExcludes);
        RefuseExpandedWildcards("ModulusDebianPathInclude", task.DebianPathIncludes);
        var rules = Rules(task.DebianPathExcludes, "ModulusDebianPathExclude", DpkgPathRule.Exclude)
            .Concat(Rules(task.DebianPathIncludes, "ModulusDebianPathInclude", DpkgPathRule.Include))
            .ToList();
        var files = rules.Select(r => r.Location.File).Distinct().ToList();
        return rules.OrderBy(r => files.IndexOf(r.Location.File)).ThenBy(r => r.Location.Line).Select(r => r.Rule).ToList();
    }

    /// <summary>
    /// MSBuild expands '*' and '?' in an Include against the build machine's own files (and drops
    /// the item when none match) before the task sees it, so a pattern must escape them.
    /// </summary>
    private void RefuseExpandedWildcards(string itemType, ITaskItem[] items)
    {
        foreach (var (include, location) in locator.Declarations(itemType, items))
            if (include.IndexOfAny(['*', '?']) >= 0)
                locator.Check(location, () => throw new ModulusException(Errors.DebianPathPatternExpanded, itemType, include,
                    include.Replace("*", "%2A", StringComparison.Ordinal).Replace("?", "%3F", StringComparison.Ordinal)));
    }

    private IEnumerable<(SourceLocation Location, DpkgPathRule Rule)> Rules(ITaskItem[] items, string itemType, Func<string, DpkgPathRule> parse) =>
        items.Select(i => (locator.Of(i, itemType), locator.Read(i, itemType, () => parse(i.ItemSpec))));

    private bool Boolean(string? value, string property, bool defaultValue) =>
        locator.ReadProperty(property, () => ConfigInputs.Boolean(value, property, defaultValue));

    private static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
