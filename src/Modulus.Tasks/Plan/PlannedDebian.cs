using Modulus.Debian;
using Modulus.Diagnostics;

namespace Modulus.Plan;

/// <summary>
/// The Debian packages a plan installs: the request, and where each of its packages was declared
/// (parallel to <see cref="DebianRequest.Packages"/>) so that errors point at the item.
/// </summary>
public sealed record PlannedDebian(DebianRequest Request, IReadOnlyList<SourceLocation> PackageLocations)
{
    /// <summary>The declaration of the package an error quotes ('NAME'), else the first package's.</summary>
    public SourceLocation LocationFor(string errorText)
    {
        for (var i = 0; i < Request.Packages.Count && i < PackageLocations.Count; i++)
            if (errorText.Contains($"'{Request.Packages[i].Name}'", StringComparison.Ordinal)) return PackageLocations[i];
        return PackageLocations.Count > 0 ? PackageLocations[0] : SourceLocation.Unknown;
    }
}
