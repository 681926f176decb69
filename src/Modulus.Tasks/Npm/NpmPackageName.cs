using System.Text.RegularExpressions;
using Modulus.Diagnostics;

namespace Modulus.Npm;

/// <summary>npm's rules for new package names: lower case, URL-safe, optionally '@scope/'.</summary>
public static partial class NpmPackageName
{
    public static void Validate(string name)
    {
        if (name.Length is 0 or > 214 || !Pattern().IsMatch(name)) throw new ModulusException(Errors.NpmPackageNameInvalid, name);
    }

    [GeneratedRegex(@"^(@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9][a-z0-9._~-]*$")]
    private static partial Regex Pattern();
}
