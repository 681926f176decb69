using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Oci;
using Modulus.Storage;

namespace Modulus.Sources;

/// <summary>
/// Picks one image from an OCI layout's index.json: by tag, then through nested indexes (manifest
/// lists) by platform, and assembles it from the layout's blobs.
/// </summary>
internal static class OciIndexResolver
{
    /// <summary>Indexes inside indexes deeper than this are not images but a loop or an attack.</summary>
    private const int MaxNesting = 4;

    public static Image Resolve(BaseImageSpec spec, byte[] indexJson, Platform platform, IBlobSource blobs, BlobStore store)
    {
        var index = OciJson.Deserialize<ImageIndex>(indexJson, $"index.json of {blobs.Description}");
        if (index.Manifests is null) throw new ModulusException(Errors.InvalidOciLayout, spec.Path, "index.json has no manifests list");
        var chosen = ChooseByTag(spec, index.Manifests, platform, blobs);
        return Descend(chosen, platform, blobs, store, depth: 0);
    }

    private static Descriptor ChooseByTag(BaseImageSpec spec, IReadOnlyList<Descriptor> entries, Platform platform, IBlobSource blobs)
    {
        var candidates = spec.Reference is null
            ? entries
            : entries.Where(e => ReferenceNames.Matches(spec.Reference, RefName(e)) || ReferenceNames.Matches(spec.Reference, ImageName(e))).ToArray();
        if (candidates.Count == 0 && spec.Reference is not null)
            throw new ModulusException(Errors.TagNotInLayout, spec.Path, spec.Reference, TagList(entries));
        if (candidates.Count == 0) throw new ModulusException(Errors.InvalidOciLayout, spec.Path, "index.json lists no image");
        // Several tags of one image are still one image.
        if (candidates.Select(c => c.Digest).Distinct().Count() == 1) return candidates[0];
        // Some tools list one manifest per platform directly in index.json instead of nesting an index.
        if (candidates.All(c => c.Platform is not null)) return PlatformChoice.Select(candidates, platform, blobs.Description);
        throw new ModulusException(Errors.AmbiguousLayout, spec.Path, candidates.Count, TagList(candidates), spec.Prefix);
    }

    private static Image Descend(Descriptor descriptor, Platform platform, IBlobSource blobs, BlobStore store, int depth)
    {
        var what = $"{descriptor.Digest} in {blobs.Description}";
        if (depth > MaxNesting) throw new ModulusException(Errors.InvalidJson, what, "image index", $"indexes are nested more than {MaxNesting} deep");
        var bytes = ImageAssembly.ReadDocument(blobs, descriptor.Digest, descriptor.Size, what, store);
        var mediaType = OciJson.PeekMediaType(bytes, what) ?? descriptor.MediaType;
        if (MediaTypes.IsIndex(mediaType))
        {
            var index = OciJson.Deserialize<ImageIndex>(bytes, what);
            if (index.Manifests is null) throw new ModulusException(Errors.InvalidJson, what, "image index", "it has no manifests list");
            var single = index.Manifests.Count == 1 && index.Manifests[0].Platform is null;
            var next = single ? index.Manifests[0] : PlatformChoice.Select(index.Manifests, platform, what);
            return Descend(next, platform, blobs, store, depth + 1);
        }
        if (!MediaTypes.IsManifest(mediaType)) throw new ModulusException(Errors.UnsupportedMediaType, what, mediaType);
        var manifest = OciJson.Deserialize<ImageManifest>(bytes, what);
        if (manifest.Config is null || manifest.Layers is null)
            throw new ModulusException(Errors.InvalidJson, what, "image manifest", "it lacks config or layers");
        if (manifest.Config.MediaType is not (MediaTypes.OciConfig or MediaTypes.DockerConfig))
            throw new ModulusException(Errors.UnsupportedMediaType, $"The config of {what}", manifest.Config.MediaType);
        return ImageAssembly.Assemble(what, mediaType, manifest.Config.Digest, manifest.Config.Size, manifest.Layers, platform, blobs, store);
    }

    private static string? RefName(Descriptor d) => d.Annotations?.GetValueOrDefault(ImageIndex.RefNameAnnotation);

    private static string? ImageName(Descriptor d) => d.Annotations?.GetValueOrDefault(ImageIndex.ImageNameAnnotation);

    private static string TagList(IEnumerable<Descriptor> entries)
    {
        var tags = entries.Select(e => RefName(e) ?? ImageName(e)).OfType<string>().Distinct().ToArray();
        return tags.Length == 0 ? "none" : string.Join(", ", tags);
    }
}
