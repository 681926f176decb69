using System.Text.Json.Nodes;
using Modulus.Oci;

namespace Modulus.Images;

/// <summary>A layer to append, and the history line that says how it was made.</summary>
public sealed record AppendedLayer(ILayer Layer, string CreatedBy, string? Comment = null);

/// <summary>
/// Makes a new image from a base: appends layers, applies config changes, records a history
/// entry per layer. The base image is never modified.
/// </summary>
public static class ImageBuilder
{
    public static Image Build(Image baseImage, IReadOnlyList<AppendedLayer> layers, ConfigChanges changes, DateTimeOffset created)
    {
        var createdText = created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var config = baseImage.Config.With(root =>
        {
            root["created"] = createdText;
            var section = root["config"] as JsonObject ?? new JsonObject();
            root["config"] = section;
            ApplyChanges(section, changes);

            var rootfs = root["rootfs"] as JsonObject ?? new JsonObject { ["type"] = "layers" };
            root["rootfs"] = rootfs;
            var diffIds = rootfs["diff_ids"] as JsonArray ?? [];
            rootfs["diff_ids"] = diffIds;
            var history = root["history"] as JsonArray ?? [];
            root["history"] = history;
            foreach (var appended in layers)
            {
                diffIds.Add(appended.Layer.DiffId.ToString());
                var entry = new JsonObject { ["created"] = createdText, ["created_by"] = appended.CreatedBy };
                if (appended.Comment is not null) entry["comment"] = appended.Comment;
                history.Add(entry);
            }
            if (layers.Count == 0)
            {
                // A config-only change still says when and how the image was made.
                history.Add(new JsonObject { ["created"] = createdText, ["created_by"] = Pipeline.LayerHistory.Config, ["empty_layer"] = true });
            }
        });
        return new Image(config, [.. baseImage.Layers, .. layers.Select(l => l.Layer)], baseImage.Manifest.MediaType == MediaTypes.DockerManifest ? MediaTypes.OciManifest : baseImage.Manifest.MediaType);
    }

    private static void ApplyChanges(JsonObject section, ConfigChanges changes)
    {
        if (changes.Environment.Count > 0)
        {
            var env = (section["Env"] as JsonArray)?.Select(n => n!.GetValue<string>()).ToList() ?? [];
            foreach (var (name, value) in changes.Environment)
            {
                var index = env.FindIndex(e => e.StartsWith(name + "=", StringComparison.Ordinal) || e == name);
                if (index >= 0) env[index] = $"{name}={value}";
                else env.Add($"{name}={value}");
            }
            section["Env"] = new JsonArray(env.Select(e => (JsonNode)JsonValue.Create(e)!).ToArray());
        }
        MergeKeys(section, "Volumes", changes.Volumes);
        MergeKeys(section, "ExposedPorts", changes.ExposedPorts);
        if (changes.RemovedLabels.Count > 0 && section["Labels"] is JsonObject baseLabels)
        {
            foreach (var name in changes.RemovedLabels) baseLabels.Remove(name);
            if (baseLabels.Count == 0) section.Remove("Labels");
        }
        if (changes.Labels.Count > 0)
        {
            var labels = section["Labels"] as JsonObject ?? new JsonObject();
            foreach (var (name, value) in changes.Labels.OrderBy(l => l.Key, StringComparer.Ordinal)) labels[name] = value;
            section["Labels"] = labels;
        }
        if (changes.User is not null) section["User"] = changes.User;
        if (changes.WorkingDir is not null) section["WorkingDir"] = changes.WorkingDir;
        if (changes.StopSignal is not null) section["StopSignal"] = changes.StopSignal;
        if (changes.Entrypoint is not null)
        {
            section["Entrypoint"] = ToArray(changes.Entrypoint);
            // As in Docker: a new entrypoint drops the base's Cmd unless Cmd is also given.
            if (changes.Cmd is null) section.Remove("Cmd");
        }
        if (changes.Cmd is not null) section["Cmd"] = ToArray(changes.Cmd);
    }

    private static void MergeKeys(JsonObject section, string name, IReadOnlyList<string> keys)
    {
        if (keys.Count == 0) return;
        var map = section[name] as JsonObject ?? new JsonObject();
        foreach (var key in keys.Order(StringComparer.Ordinal))
            if (!map.ContainsKey(key)) map[key] = new JsonObject();
        section[name] = map;
    }

    private static JsonArray ToArray(IReadOnlyList<string> values) =>
        new(values.Select(v => (JsonNode)JsonValue.Create(v)!).ToArray());
}
