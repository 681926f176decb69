namespace Modulus.Sbom;

/// <summary>
/// One package an SBOM lists, whatever its ecosystem. <see cref="Purl"/> is its package URL (the
/// identity scanners match on); <see cref="License"/> is the declared licence as its package
/// states it (an SPDX identifier or expression when the package uses one); <see cref="Checksum"/>
/// names an algorithm as SPDX writes it (SHA256, SHA512) and a lower-case hex value.
/// </summary>
public sealed record SbomPackage(
    string Ecosystem,
    string Name,
    string Version,
    string Purl,
    string Supplier,
    string? License = null,
    string? SourceInfo = null,
    (string Algorithm, string Hex)? Checksum = null);
