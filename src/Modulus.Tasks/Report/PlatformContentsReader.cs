using System.Text.Json;
using Modulus.Contract;
using Modulus.Images;
using Modulus.Layers;

namespace Modulus.Report;

/// <summary>
/// Gathers a platform's <see cref="PlatformContents"/> from what the publish already holds: the
/// finished image and the merged view its steps grew (headers only; the few bodies it reads,
/// dpkg's status and file lists, were kept when the base was read or are the contents a step wrote).
/// No layer is decompressed again.
/// </summary>
public static class PlatformContentsReader
{
    /// <summary>How many of the largest files the report lists.</summary>
    public const int LargestFiles = 50;

    /// <param name="image">The finished image.</param>
    /// <param name="view">Its merged file system, every layer applied.</param>
    /// <param name="baseImage">The base image as the project names it.</param>
    /// <param name="baseLayers">How many of the image's layers are the base's.</param>
    /// <param name="baseDigest">The base's manifest digest.</param>
    /// <param name="findings">The standard's findings of a run image; null for an image that is not checked.</param>
    /// <param name="startChecked">Whether the project declared a start, whose rules were then checked.</param>
    /// <param name="build">Whether the findings are of the build-image standard.</param>
    public static PlatformContents Read(Image image, ImageFileSystem view, string baseImage, int baseLayers, string? baseDigest,
        IReadOnlyList<ContractDiagnostic>? findings, bool startChecked, bool build = false)
    {
        var owners = DpkgOwners.Of(view);
        var packageNames = owners.Packages.Select(p => p.Name).Distinct(StringComparer.Ordinal).ToArray();
        var packageIndex = packageNames.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
        int PackageOf(UnixPath path) => owners.OwnerOf(path) is { } name && packageIndex.TryGetValue(name, out var i) ? i : -1;

        var largest = view.All.Where(n => n.Type == NodeType.File)
            .OrderByDescending(n => n.Size).ThenBy(n => n.Path)
            .Take(LargestFiles)
            .Select(n => new FileRow(n.Path.Value, n.Size, n.LayerIndex, owners.OwnerOf(n.Path)))
            .ToArray();
        var config = image.Config;
        return new PlatformContents(
            image.Platform.ToString(), image.ManifestDigest.ToString(), image.ConfigDigest.ToString(), image.Size,
            baseImage, baseDigest,
            Layers(image, view, baseLayers),
            FolderTree.Build(view, PackageOf),
            packageNames,
            largest,
            owners.Packages,
            findings is null ? null : StandardChecks.Rows(findings, startChecked, build),
            new ConfigSummary(config.User, config.WorkingDir, config.Entrypoint, config.Cmd, config.Env, config.Volumes, config.ExposedPorts,
                new SortedDictionary<string, string>(config.Labels.ToDictionary(), StringComparer.Ordinal), config.StopSignal));
    }

    private static IReadOnlyList<LayerRow> Layers(Image image, ImageFileSystem view, int baseLayers)
    {
        var history = HistoryOf(image.ConfigBytes);
        return image.Layers.Select((layer, i) =>
        {
            var (entries, bytes) = view.Tally(i);
            var createdBy = i < history.Count ? history[i] : string.Empty;
            return new LayerRow(i, i < baseLayers ? LayerKinds.Base : Pipeline.LayerHistory.KindOf(createdBy), createdBy,
                layer.Digest.ToString(), layer.DiffId.ToString(), layer.Size, bytes, entries);
        }).ToArray();
    }

    /// <summary>The history lines of the layers (empty-layer lines left out), in layer order; a config without history gives none.</summary>
    internal static IReadOnlyList<string> HistoryOf(byte[] configBytes)
    {
        using var config = JsonDocument.Parse(configBytes);
        if (!config.RootElement.TryGetProperty("history", out var history) || history.ValueKind != JsonValueKind.Array) return [];
        return history.EnumerateArray()
            .Where(h => !(h.TryGetProperty("empty_layer", out var empty) && empty.ValueKind == JsonValueKind.True))
            .Select(h => h.TryGetProperty("created_by", out var by) && by.ValueKind == JsonValueKind.String ? by.GetString()! : string.Empty)
            .ToArray();
    }
}
