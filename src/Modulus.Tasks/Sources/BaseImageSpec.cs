using Modulus.Diagnostics;

namespace Modulus.Sources;

/// <summary>The kinds of place a base image can be read from.</summary>
public enum BaseImageKind { Scratch, OciLayout, OciArchive, DockerArchive }

/// <summary>
/// A parsed ModulusBaseImage: where the image lives (<see cref="Path"/>, absolute) and which image
/// there (<see cref="Reference"/>: a tag for layouts, REPOSITORY:TAG for docker archives, or null).
/// </summary>
public sealed record BaseImageSpec(BaseImageKind Kind, string? Path, string? Reference)
{
    public static readonly BaseImageSpec Scratch = new(BaseImageKind.Scratch, null, null);

    /// <summary>The prefix the spec is written with, e.g. <c>oci-layout</c>.</summary>
    public string Prefix => Kind switch
    {
        BaseImageKind.OciLayout => "oci-layout",
        BaseImageKind.OciArchive => "oci-archive",
        BaseImageKind.DockerArchive => "docker-archive",
        _ => "scratch",
    };

    /// <summary>How errors name the place: "the OCI layout '/x'", "the OCI archive '/x.tar'", "the docker-archive '/x.tar'".</summary>
    public string Description => Kind switch
    {
        BaseImageKind.OciLayout => $"the OCI layout '{Path}'",
        BaseImageKind.OciArchive => $"the OCI archive '{Path}'",
        BaseImageKind.DockerArchive => $"the docker-archive '{Path}'",
        _ => "scratch",
    };

    /// <summary>
    /// Parses <paramref name="spec"/>. Paths may themselves contain ':', so the longest prefix of the
    /// text after the kind that exists on disk is the path and the rest is the reference.
    /// </summary>
    public static BaseImageSpec Parse(string spec, string baseDirectory)
    {
        var text = spec.Trim();
        if (text == "scratch") return Scratch;
        var colon = text.IndexOf(':');
        var kind = colon < 0 ? (BaseImageKind?)null : text[..colon] switch
        {
            "oci-layout" => BaseImageKind.OciLayout,
            "oci-archive" => BaseImageKind.OciArchive,
            "docker-archive" => BaseImageKind.DockerArchive,
            _ => null,
        };
        var rest = colon < 0 ? string.Empty : text[(colon + 1)..];
        if (kind is null || rest.Length == 0) throw new ModulusException(Errors.InvalidBaseImage, spec);

        for (var end = rest.Length; end > 0; end = rest.LastIndexOf(':', end - 1))
        {
            var path = System.IO.Path.GetFullPath(rest[..end], baseDirectory);
            if (!Exists(kind.Value, path)) continue;
            var reference = end < rest.Length ? rest[(end + 1)..] : null;
            return new BaseImageSpec(kind.Value, path, string.IsNullOrEmpty(reference) ? null : reference);
        }
        throw new ModulusException(Errors.BaseImageNotFound, System.IO.Path.GetFullPath(rest, baseDirectory));
    }

    private static bool Exists(BaseImageKind kind, string path) =>
        kind == BaseImageKind.OciLayout ? Directory.Exists(path) : File.Exists(path);
}
