using System.Security.Cryptography;
using Modulus.Diagnostics;

namespace Modulus.Oci;

/// <summary>
/// A content address, <c>sha256:&lt;64 hex&gt;</c>. Only sha256 is produced; sha512 is accepted when
/// reading so that such images give a clear error instead of a parse failure deep inside.
/// </summary>
public readonly record struct Digest
{
    private Digest(string algorithm, string encoded)
    {
        Algorithm = algorithm;
        Encoded = encoded;
    }

    public string Algorithm { get; }

    /// <summary>The hex part, as written in blob paths (blobs/sha256/&lt;Encoded&gt;).</summary>
    public string Encoded { get; }

    public override string ToString() => $"{Algorithm}:{Encoded}";

    public static Digest Parse(string value) =>
        TryParse(value, out var digest) ? digest : throw new ModulusException(Errors.InvalidDigest, value);

    public static bool TryParse(string? value, out Digest digest)
    {
        digest = default;
        if (value is null) return false;
        var colon = value.IndexOf(':');
        if (colon <= 0) return false;
        var algorithm = value[..colon];
        var encoded = value[(colon + 1)..];
        var expectedLength = algorithm switch { "sha256" => 64, "sha512" => 128, _ => -1 };
        if (encoded.Length != expectedLength || !encoded.All(IsLowerHex)) return false;
        digest = new Digest(algorithm, encoded);
        return true;
    }

    public static Digest FromSha256Hash(ReadOnlySpan<byte> hash) =>
        new("sha256", Convert.ToHexStringLower(hash));

    public static Digest Compute(ReadOnlySpan<byte> content) => FromSha256Hash(SHA256.HashData(content));

    public static Digest Compute(Stream content) => FromSha256Hash(SHA256.HashData(content));

    private static bool IsLowerHex(char c) => c is >= '0' and <= '9' or >= 'a' and <= 'f';
}
