namespace Modulus.Oci;

/// <summary>
/// A tag as an OCI layout's index or a docker archive names an image: a bare tag ("v1"), or a
/// name and a tag ("example.com/app:v1"). Only the tag is checked: the name is written as given.
/// </summary>
public sealed record TaggedName(string? Name, ImageTag Tag)
{
    /// <summary>NAME:TAG splits at the last ':' after the last '/' (a registry's port is no tag); without one, all of it is the tag.</summary>
    public static TaggedName Parse(string text)
    {
        var lastSlash = text.LastIndexOf('/');
        var colon = text.IndexOf(':', lastSlash + 1);
        return colon < 0 ? new TaggedName(null, ImageTag.Parse(text)) : new TaggedName(text[..colon], ImageTag.Parse(text[(colon + 1)..]));
    }

    /// <summary>As <see cref="ImageTag"/> is: a literal reads as one, and a bad tag fails there.</summary>
    public static implicit operator TaggedName(string text) => Parse(text);

    public static TaggedName Bare(ImageTag tag) => new(null, tag);

    public static TaggedName Of(ImageRepository repository, ImageTag tag) => new(repository.Value, tag);

    public override string ToString() => Name is null ? Tag.Value : $"{Name}:{Tag}";
}
