using System.Text.Json;
using System.Text.Json.Serialization;
using Modulus.Diagnostics;

namespace Modulus.Sources;

/// <summary>One image of a docker-archive's manifest.json; paths are entry names in the archive.</summary>
internal sealed record DockerArchiveManifest(
    [property: JsonPropertyName("Config")] string Config,
    [property: JsonPropertyName("RepoTags")] IReadOnlyList<string>? RepoTags,
    [property: JsonPropertyName("Layers")] IReadOnlyList<string> Layers)
{
    public static IReadOnlyList<DockerArchiveManifest> Parse(byte[] json, string archivePath)
    {
        try
        {
            var entries = JsonSerializer.Deserialize<List<DockerArchiveManifest>>(json);
            if (entries is null || entries.Count == 0 || entries.Any(e => e.Config is null || e.Layers is null))
                throw new ModulusException(Errors.InvalidDockerArchive, archivePath, "manifest.json lists no image with Config and Layers");
            return entries;
        }
        catch (JsonException e)
        {
            throw new ModulusException(Errors.InvalidDockerArchive, e, archivePath, $"manifest.json is not valid JSON ({e.Message})");
        }
    }
}
