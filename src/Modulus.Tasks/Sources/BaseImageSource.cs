using Modulus.Oci;

namespace Modulus.Sources;

/// <summary>
/// ModulusBaseImage, read once where it is declared: scratch or an image in a local file or
/// folder (<see cref="Local"/>, its path resolved and found), or an image in a registry
/// (<see cref="Registry"/>). Exactly one of the two is set; <see cref="Text"/> is the spec as written.
/// </summary>
public sealed record BaseImageSource
{
    private BaseImageSource(string text, BaseImageSpec? local, ImageReference? registry) => (Text, Local, Registry) = (text, local, registry);

    public const string DockerPrefix = "docker://";

    /// <summary>The spec forms that name local images; anything else that parses is a registry reference.</summary>
    private static readonly string[] LocalForms = ["scratch", "oci-layout:", "oci-archive:", "docker-archive:"];

    public static BaseImageSource Scratch { get; } = new("scratch", BaseImageSpec.Scratch, null);

    public string Text { get; }

    /// <summary>Scratch or a local image; null for a registry image.</summary>
    public BaseImageSpec? Local { get; }

    /// <summary>The registry image; null for scratch and local images.</summary>
    public ImageReference? Registry { get; }

    /// <summary>
    /// Reads <paramref name="spec"/>: <c>scratch</c>, <c>oci-layout:PATH[:TAG]</c>,
    /// <c>oci-archive:PATH[:TAG]</c>, <c>docker-archive:PATH[:REPOSITORY:TAG]</c> (relative paths
    /// against <paramref name="baseDirectory"/>, which must exist: MOD2201), or a registry
    /// reference, bare (<c>debian:bookworm</c>) or as <c>docker://REFERENCE</c>. Anything else is MOD5001.
    /// </summary>
    public static BaseImageSource Parse(string spec, string baseDirectory)
    {
        var text = spec.Trim();
        if (text.StartsWith(DockerPrefix, StringComparison.Ordinal) && ImageReference.TryParse(text[DockerPrefix.Length..], out var prefixed, out _))
            return new BaseImageSource(spec, null, prefixed);
        var isLocal = LocalForms.Any(form => form.EndsWith(':') ? text.StartsWith(form, StringComparison.Ordinal) : text == form);
        if (!isLocal && !text.StartsWith(DockerPrefix, StringComparison.Ordinal) && ImageReference.TryParse(text, out var bare, out _))
            return new BaseImageSource(spec, null, bare);
        return new BaseImageSource(spec, BaseImageSpec.Parse(spec, baseDirectory), null);
    }

    public override string ToString() => Text;
}
