using System.Text.RegularExpressions;
using Modulus.Diagnostics;

namespace Modulus.Oci;

/// <summary>
/// An image tag, checked when it is made: up to 128 letters, digits, '_', '.' and '-', not
/// starting with '.' or '-' (the OCI distribution spec's rule). Whatever holds one need not check it again.
/// </summary>
public sealed partial record ImageTag : CheckedName
{
    private ImageTag(string value)
        : base(value)
    {
    }

    /// <summary>The tag, or MOD5011 naming it.</summary>
    public static ImageTag Parse(string tag) =>
        IsValid(tag) ? new ImageTag(tag) : throw new ModulusException(Errors.InvalidTag, tag);

    public static bool IsValid(string tag) => Pattern().IsMatch(tag);

    /// <summary>As <see cref="System.Xml.Linq.XName"/> is made from a string: a literal tag reads as one, and a bad one fails there.</summary>
    public static implicit operator ImageTag(string tag) => Parse(tag);

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex Pattern();
}
