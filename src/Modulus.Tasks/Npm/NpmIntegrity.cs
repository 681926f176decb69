using System.Security.Cryptography;

namespace Modulus.Npm;

/// <summary>
/// What a tarball must hash to, from the registry's metadata: the strongest Subresource Integrity
/// hash of <c>dist.integrity</c> (sha512, sha384 or sha256), or the legacy sha1
/// <c>dist.shasum</c> when no integrity is given.
/// </summary>
public sealed record NpmIntegrity(HashAlgorithmName Algorithm, byte[] Expected, string Text)
{
    public bool IsLegacySha1 => Algorithm == HashAlgorithmName.SHA1;

    public static NpmIntegrity? From(NpmVersionInfo version)
    {
        var best = (version.Integrity ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(Parse).Where(i => i is not null).OrderByDescending(i => Strength(i!.Algorithm)).FirstOrDefault();
        if (best is not null) return best;
        if (version.Shasum is { Length: 40 } shasum && shasum.All(char.IsAsciiHexDigit))
            return new NpmIntegrity(HashAlgorithmName.SHA1, Convert.FromHexString(shasum), "sha1 " + shasum.ToLowerInvariant());
        return null;
    }

    private static NpmIntegrity? Parse(string sri)
    {
        var dash = sri.IndexOf('-');
        if (dash < 0) return null;
        var algorithm = sri[..dash] switch
        {
            "sha512" => HashAlgorithmName.SHA512,
            "sha384" => HashAlgorithmName.SHA384,
            "sha256" => HashAlgorithmName.SHA256,
            _ => default(HashAlgorithmName?),
        };
        var base64 = sri[(dash + 1)..];
        var question = base64.IndexOf('?');
        if (question >= 0) base64 = base64[..question]; // SRI options are ignored, as browsers and npm do.
        var bytes = new byte[base64.Length];
        if (algorithm is null || !Convert.TryFromBase64String(base64, bytes, out var length)) return null;
        return new NpmIntegrity(algorithm.Value, bytes[..length], sri);
    }

    private static int Strength(HashAlgorithmName algorithm) =>
        algorithm == HashAlgorithmName.SHA512 ? 3 : algorithm == HashAlgorithmName.SHA384 ? 2 : 1;

    public IncrementalHash CreateHash() => IncrementalHash.CreateHash(Algorithm);

    /// <summary>The actual hash in the same notation as <see cref="Text"/>, for the mismatch message.</summary>
    public string Describe(byte[] actual) =>
        IsLegacySha1 ? "sha1 " + Convert.ToHexStringLower(actual) : $"{Algorithm.Name!.ToLowerInvariant()}-{Convert.ToBase64String(actual)}";
}
