using System.Text.RegularExpressions;
using Modulus.Diagnostics;

namespace Modulus.Oci;

/// <summary>
/// A docker-style image reference, normalized: <c>ubuntu</c> is
/// <c>docker.io/library/ubuntu:latest</c>. <see cref="Tag"/> is null when only a digest was
/// given; <see cref="ToString"/> writes the full normalized form.
/// </summary>
public sealed partial record ImageReference(string Registry, string Repository, string? Tag, Digest? Digest)
{
    public const string DockerHub = "docker.io";
    public const string DefaultTag = "latest";

    public static ImageReference Parse(string value) =>
        TryParse(value, out var reference, out var reason) ? reference : throw new ModulusException(Errors.InvalidReference, value, reason);

    public static bool TryParse(string value, out ImageReference reference, out string reason)
    {
        reference = null!;
        if (string.IsNullOrWhiteSpace(value)) { reason = "it is empty"; return false; }
        var rest = value;
        Digest? digest = null;
        var at = rest.IndexOf('@');
        if (at >= 0)
        {
            if (!Oci.Digest.TryParse(rest[(at + 1)..], out var d)) { reason = $"'{rest[(at + 1)..]}' is not a sha256 digest"; return false; }
            digest = d;
            rest = rest[..at];
        }

        string? tag = null;
        var lastSlash = rest.LastIndexOf('/');
        var colon = rest.LastIndexOf(':');
        if (colon > lastSlash)
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
            if (!ImageTag.IsValid(tag)) { reason = $"tag '{tag}' may hold only letters, digits, '_', '.' and '-' (at most 128, not starting with '.' or '-')"; return false; }
        }

        var registry = DockerHub;
        var firstSlash = rest.IndexOf('/');
        if (firstSlash > 0)
        {
            var first = rest[..firstSlash];
            if (first.Contains('.') || first.Contains(':') || first == "localhost" || first.Any(char.IsUpper))
            {
                registry = first;
                rest = rest[(firstSlash + 1)..];
                if (!RegistryPattern().IsMatch(registry)) { reason = $"registry '{registry}' is not a host name with an optional port"; return false; }
            }
        }
        if (registry is "index.docker.io" or "registry-1.docker.io") registry = DockerHub;

        if (rest.Length == 0) { reason = "it names no repository"; return false; }
        if (rest.Any(char.IsUpper)) { reason = $"repository '{rest}' must be lower case"; return false; }
        if (!ImageRepository.HasValidComponents(rest))
        {
            reason = $"repository '{rest}' may hold only lower-case letters, digits and the separators '.', '_', '__', '-' between them, and '/' between components";
            return false;
        }
        if (registry == DockerHub && !rest.Contains('/')) rest = "library/" + rest;
        if (registry.Length + 1 + rest.Length > 255) { reason = "the name is longer than 255 characters"; return false; }

        reference = new ImageReference(registry, rest, tag ?? (digest is null ? DefaultTag : null), digest);
        reason = string.Empty;
        return true;
    }

    /// <summary>
    /// A repository at a registry that is already normalized (as ContainerRegistry is), tagged
    /// <see cref="DefaultTag"/>: what <see cref="Parse"/> makes of "REGISTRY/REPOSITORY", with
    /// nothing checked again but the length of the whole.
    /// </summary>
    public static ImageReference Of(string registry, ImageRepository repository)
    {
        var path = registry == DockerHub && !repository.Value.Contains('/') ? "library/" + repository.Value : repository.Value;
        if (registry.Length + 1 + path.Length > 255)
            throw new ModulusException(Errors.InvalidReference, $"{registry}/{repository}", "the name is longer than 255 characters");
        return new ImageReference(registry, path, DefaultTag, null);
    }

    /// <summary>registry/repository, e.g. docker.io/library/debian.</summary>
    public string Name => $"{Registry}/{Repository}";

    /// <summary>The tag or digest a registry is asked for: the digest wins when both are given.</summary>
    public string Reference => Digest?.ToString() ?? Tag ?? DefaultTag;

    public override string ToString() =>
        Name + (Tag is null ? string.Empty : ":" + Tag) + (Digest is null ? string.Empty : "@" + Digest);

    [GeneratedRegex(@"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:]+\])(?::[0-9]+)?$")]
    private static partial Regex RegistryPattern();
}
