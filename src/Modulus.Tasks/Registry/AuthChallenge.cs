using System.Text.RegularExpressions;

namespace Modulus.Registry;

/// <summary>
/// A WWW-Authenticate challenge: <c>Basic realm="..."</c> or
/// <c>Bearer realm="https://auth/token",service="registry",scope="repository:x:pull",error="insufficient_scope"</c>.
/// </summary>
internal sealed partial record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public bool IsBearer => Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);

    public bool IsBasic => Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase);

    public string? Realm => Parameters.GetValueOrDefault("realm");

    public string? Service => Parameters.GetValueOrDefault("service");

    public string? Error => Parameters.GetValueOrDefault("error");

    /// <summary>The first challenge of a response that Modulus can answer, or null.</summary>
    public static AuthChallenge? From(HttpResponseMessage response)
    {
        foreach (var header in response.Headers.WwwAuthenticate)
        {
            var challenge = Parse(header.Scheme, header.Parameter);
            if (challenge.IsBearer || challenge.IsBasic) return challenge;
        }
        return null;
    }

    public static AuthChallenge Parse(string scheme, string? parameters)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (Match m in ParameterPattern().Matches(parameters ?? string.Empty))
            values[m.Groups["name"].Value] = m.Groups["quoted"].Success ? m.Groups["quoted"].Value.Replace("\\\"", "\"") : m.Groups["bare"].Value;
        return new AuthChallenge(scheme, values);
    }

    [GeneratedRegex("""(?<name>[A-Za-z_][A-Za-z0-9_-]*)\s*=\s*(?:"(?<quoted>(?:[^"\\]|\\.)*)"|(?<bare>[^,\s]*))""")]
    private static partial Regex ParameterPattern();
}
