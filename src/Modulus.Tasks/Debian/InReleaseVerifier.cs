using System.Text;
using Modulus.Diagnostics;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace Modulus.Debian;

/// <summary>
/// Checks the OpenPGP clear-text signature of an InRelease file against a keyring and returns
/// only the signed text, so nothing outside the signature is ever parsed. A Debian InRelease
/// carries one signature per archive key; one good signature by a key in the keyring suffices,
/// as with apt.
/// </summary>
public sealed class InReleaseVerifier
{
    private const string MessageHeader = "-----BEGIN PGP SIGNED MESSAGE-----";
    private const string SignatureHeader = "-----BEGIN PGP SIGNATURE-----";

    private readonly PgpPublicKeyRingBundle _keys;

    private InReleaseVerifier(string keyringPath, PgpPublicKeyRingBundle keys)
    {
        KeyringPath = keyringPath;
        _keys = keys;
    }

    public string KeyringPath { get; }

    /// <summary>Reads a binary or armored keyring (such as debian-archive-keyring.gpg).</summary>
    public static InReleaseVerifier FromKeyring(string keyringPath)
    {
        try
        {
            using var file = File.OpenRead(keyringPath);
            var bundle = new PgpPublicKeyRingBundle(PgpUtilities.GetDecoderStream(file));
            if (bundle.Count == 0) throw new PgpException("it holds no public keys");
            return new InReleaseVerifier(keyringPath, bundle);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PgpException)
        {
            throw new ModulusException(Errors.DebianKeyringUnreadable, e, keyringPath, e.Message);
        }
    }

    /// <summary>The signed text of <paramref name="inRelease"/> once a signature verifies; <paramref name="what"/> names it in errors.</summary>
    public string Verify(string inRelease, string what)
    {
        var (text, armoredSignature) = Split(inRelease, what, KeyringPath);
        var signed = Encoding.UTF8.GetBytes(text);
        var problems = new List<string>();
        foreach (var signature in ReadSignatures(armoredSignature, what, KeyringPath))
        {
            var key = _keys.GetPublicKey(signature.KeyId);
            if (key is null)
            {
                problems.Add($"key {signature.KeyId:X16} is not in the keyring");
                continue;
            }
            signature.InitVerify(key);
            signature.Update(signed);
            if (signature.Verify()) return text;
            problems.Add($"the signature by key {signature.KeyId:X16} does not match the content");
        }
        throw new ModulusException(Errors.DebianSignatureInvalid, what, KeyringPath,
            problems.Count == 0 ? "it holds no signature" : string.Join("; ", problems));
    }

    /// <summary>The text of a clear-signed message without checking it, for builds that turned verification off.</summary>
    public static string ExtractUnverified(string inRelease, string what) => Split(inRelease, what, "(none)").Text;

    /// <summary>
    /// Separates the signed text from the armored signature. The text is dash-unescaped and
    /// each line's trailing white space removed, as RFC 4880 §7.1 defines what is signed; the
    /// line break before the signature header is not part of it.
    /// </summary>
    private static (string Text, string Signature) Split(string message, string what, string keyring)
    {
        var lines = message.Replace("\r\n", "\n").Split('\n');
        var start = Array.IndexOf(lines, MessageHeader);
        if (start < 0) throw new ModulusException(Errors.DebianSignatureInvalid, what, keyring, "it is not a clear-signed OpenPGP message");
        var body = start + 1;
        while (body < lines.Length && lines[body].Length > 0) body++; // armor headers such as "Hash: SHA512"
        body++;
        var end = Array.IndexOf(lines, SignatureHeader, Math.Min(body, lines.Length));
        if (end < 0) throw new ModulusException(Errors.DebianSignatureInvalid, what, keyring, "it has no signature block");
        var text = string.Join("\n", lines[body..end].Select(l => (l.StartsWith("- ", StringComparison.Ordinal) ? l[2..] : l).TrimEnd(' ', '\t')));
        return (text, string.Join("\n", lines[end..]));
    }

    private static IEnumerable<PgpSignature> ReadSignatures(string armored, string what, string keyring)
    {
        var signatures = new List<PgpSignature>();
        try
        {
            using var input = PgpUtilities.GetDecoderStream(new MemoryStream(Encoding.ASCII.GetBytes(armored)));
            var factory = new PgpObjectFactory(input);
            for (var item = factory.NextPgpObject(); item is not null; item = factory.NextPgpObject())
                if (item is PgpSignatureList list)
                    for (var i = 0; i < list.Count; i++) signatures.Add(list[i]);
        }
        catch (Exception e) when (e is IOException or PgpException)
        {
            throw new ModulusException(Errors.DebianSignatureInvalid, e, what, keyring, "the signature block is unreadable: " + e.Message);
        }
        return signatures;
    }
}
