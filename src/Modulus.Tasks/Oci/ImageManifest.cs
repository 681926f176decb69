using System.Text.Json.Serialization;

namespace Modulus.Oci;

/// <summary>An OCI image manifest or a Docker schema 2 manifest (the two share their shape).</summary>
public sealed record ImageManifest(
    [property: JsonPropertyName("mediaType")] string MediaType,
    [property: JsonPropertyName("config")] Descriptor Config,
    [property: JsonPropertyName("layers")] IReadOnlyList<Descriptor> Layers)
{
    [JsonPropertyName("schemaVersion"), JsonPropertyOrder(-1)]
    public int SchemaVersion { get; init; } = 2;

    /// <summary>What an artifact's manifest holds when it is no image (OCI 1.1); null for an image.</summary>
    [JsonPropertyName("artifactType"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ArtifactType { get; init; }

    [JsonPropertyName("annotations"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
}
