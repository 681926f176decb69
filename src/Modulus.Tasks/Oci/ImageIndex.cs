using System.Text.Json.Serialization;

namespace Modulus.Oci;

/// <summary>An OCI image index or a Docker manifest list.</summary>
public sealed record ImageIndex(
    [property: JsonPropertyName("mediaType"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? MediaType,
    [property: JsonPropertyName("manifests")] IReadOnlyList<Descriptor> Manifests)
{
    [JsonPropertyName("schemaVersion"), JsonPropertyOrder(-1)]
    public int SchemaVersion { get; init; } = 2;

    [JsonPropertyName("annotations"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>The annotation OCI layouts use to name a manifest (a tag).</summary>
    public const string RefNameAnnotation = "org.opencontainers.image.ref.name";

    /// <summary>The annotation containerd and Docker use for the full image name in a layout.</summary>
    public const string ImageNameAnnotation = "io.containerd.image.name";
}
