using System.Globalization;
using Modulus.Oci;
using Modulus.Sources;

namespace Modulus.Plan;

/// <summary>
/// The labels the .NET SDK writes under ContainerGenerateLabels (docs/sdk.md, "Generated labels"):
/// those the project's properties give (version, title, description, source, revision, ...), as
/// <see cref="FromProject"/>, and those only a publish knows: when the image was made (the same
/// reproducible time as the config's <c>created</c>, never the clock) and which base it is built
/// on. A plan built in code generates none.
/// </summary>
public sealed record GeneratedLabels
{
    public const string Created = "org.opencontainers.image.created";
    public const string ArtifactCreated = "org.opencontainers.artifact.created";
    public const string BaseName = "org.opencontainers.image.base.name";
    public const string BaseDigest = "org.opencontainers.image.base.digest";

    public static GeneratedLabels None { get; } = new();

    /// <summary>Labels whose values come from the project's properties, already switched on or off.</summary>
    public IReadOnlyDictionary<string, string> FromProject { get; init; } = new Dictionary<string, string>();

    /// <summary>ContainerGenerateLabelsImageCreated: <see cref="Created"/> and <see cref="ArtifactCreated"/>.</summary>
    public bool WithCreated { get; init; }

    /// <summary>ContainerGenerateLabelsImageBaseName: <see cref="BaseName"/>, when the base has a name others can pull.</summary>
    public bool WithBaseName { get; init; }

    /// <summary>ContainerGenerateLabelsImageBaseDigest: <see cref="BaseDigest"/>, when the base's manifest digest is known.</summary>
    public bool WithBaseDigest { get; init; }

    /// <summary>For a base that is a referenced Modulus project's image: its repository:tag.</summary>
    public string? ReferencedBaseName { get; init; }

    /// <summary>For a base that is a referenced Modulus project's image: its manifest digest.</summary>
    public string? ReferencedBaseDigest { get; init; }

    /// <summary>
    /// Every generated label of the image. A registry base is named by its full reference and the
    /// digest it resolved to; a referenced project's image by its repository and tag; a base read
    /// from a path on this machine gets neither (its path means nothing elsewhere, and would make
    /// the digest depend on the folder).
    /// </summary>
    public IReadOnlyDictionary<string, string> For(BaseImageSource baseImage, DateTimeOffset created, string? registryBaseDigest)
    {
        var labels = new Dictionary<string, string>(FromProject, StringComparer.Ordinal);
        if (WithCreated)
        {
            var text = created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            labels[Created] = text;
            labels[ArtifactCreated] = text;
        }
        var reference = baseImage.Registry;
        var name = ReferencedBaseName ?? (reference is not null ? Named(reference) : null);
        var digest = ReferencedBaseDigest ?? (reference is not null ? registryBaseDigest : null);
        if (WithBaseName && name is not null) labels[BaseName] = name;
        if (WithBaseDigest && digest is not null) labels[BaseDigest] = digest;
        return labels;
    }

    /// <summary>Labels that describe one image: a derived image does not keep its base's as if they were its own.</summary>
    public static bool DescribesOneImage(string label) =>
        label.StartsWith("org.opencontainers.image.", StringComparison.Ordinal)
        || label.StartsWith("org.opencontainers.artifact.", StringComparison.Ordinal);

    private static string Named(ImageReference reference) =>
        reference.Tag is not null || reference.Digest is null ? $"{reference.Name}:{reference.Tag ?? ImageReference.DefaultTag}" : $"{reference.Name}@{reference.Digest}";
}
