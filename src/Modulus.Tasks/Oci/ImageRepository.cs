using System.Text.RegularExpressions;
using Modulus.Diagnostics;

namespace Modulus.Oci;

/// <summary>
/// A repository name without a registry (ContainerRepository), checked when it is made: path
/// components of lower-case letters and digits joined by '.', '_', '__' or dashes, separated by
/// '/', at most 255 characters.
/// </summary>
public sealed partial record ImageRepository : CheckedName
{
    private ImageRepository(string value)
        : base(value)
    {
    }

    /// <summary>The repository, or MOD5010 naming it.</summary>
    public static ImageRepository Parse(string name) =>
        name.Length <= 255 && HasValidComponents(name) ? new ImageRepository(name) : throw new ModulusException(Errors.InvalidRepository, name);

    /// <summary>As <see cref="System.Xml.Linq.XName"/> is made from a string: a literal name reads as one, and a bad one fails there.</summary>
    public static implicit operator ImageRepository(string name) => Parse(name);

    /// <summary>Every '/'-separated component follows the spec's rule; the length is the caller's to check.</summary>
    internal static bool HasValidComponents(string path) => path.Split('/').All(c => ComponentPattern().IsMatch(c));

    [GeneratedRegex("^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$")]
    private static partial Regex ComponentPattern();
}
