namespace Modulus.Registry;

/// <summary>
/// A user name with a password, or an identity (refresh) token. <see cref="ToString"/> names only
/// where the credential came from, so that it can appear in errors and logs.
/// </summary>
internal sealed class RegistryCredential(string username, string secret, bool isIdentityToken, string source)
{
    public string Username { get; } = username;

    /// <summary>The password, or the identity token when <see cref="IsIdentityToken"/>.</summary>
    public string Secret { get; } = secret;

    public bool IsIdentityToken { get; } = isIdentityToken;

    /// <summary>Where it came from: a variable name, a config file, a credential helper.</summary>
    public string Source { get; } = source;

    public string BasicValue => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Username + ":" + Secret));

    public override string ToString() => Source;
}
