using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Modulus.Diagnostics;
using Modulus.Oci;

namespace Modulus.Registry;

/// <summary>
/// Finds credentials for a registry, as the Docker CLI does, plus the environment for pushes:
/// <list type="number">
/// <item>for a push, MODULUS_REGISTRY_USERNAME/PASSWORD, then the .NET SDK's DOTNET_CONTAINER_REGISTRY_UNAME/PWORD;</item>
/// <item>the Docker config's credHelpers entry for the registry (docker-credential-NAME get);</item>
/// <item>its auths entry (auth = base64 user:password, or username/password, or identitytoken);</item>
/// <item>its credsStore helper.</item>
/// </list>
/// Environment credentials apply to pushes only, so that a push password is never offered to the
/// registry a public base image comes from.
/// </summary>
internal sealed class CredentialResolver(RegistryOptions options)
{
    private static readonly (string User, string Password)[] PushVariables =
        [("MODULUS_REGISTRY_USERNAME", "MODULUS_REGISTRY_PASSWORD"), ("DOTNET_CONTAINER_REGISTRY_UNAME", "DOTNET_CONTAINER_REGISTRY_PWORD")];

    /// <summary>Docker stores Docker Hub's credentials under this key.</summary>
    private const string DockerHubKey = "https://index.docker.io/v1/";

    public RegistryCredential? Resolve(string registry, bool forPush)
    {
        if (forPush)
        {
            foreach (var (userVariable, passwordVariable) in PushVariables)
            {
                var user = options.Environment(userVariable);
                var password = options.Environment(passwordVariable);
                if (!string.IsNullOrEmpty(user) && !string.IsNullOrEmpty(password))
                    return new RegistryCredential(user, password, isIdentityToken: false, $"{userVariable} and {passwordVariable}");
            }
        }
        return FromDockerConfig(registry);
    }

    private string ConfigPath =>
        options.DockerConfigPath
        ?? Path.Combine(options.Environment("DOCKER_CONFIG") is { Length: > 0 } folder ? folder
            : Path.Combine(options.Environment("HOME") ?? System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".docker"), "config.json");

    private RegistryCredential? FromDockerConfig(string registry)
    {
        var path = ConfigPath;
        if (!File.Exists(path)) return null;
        JsonObject config;
        try
        {
            config = JsonNode.Parse(File.ReadAllBytes(path)) as JsonObject ?? throw new ModulusException(Errors.DockerConfigInvalid, path, "it is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new ModulusException(Errors.DockerConfigInvalid, e, path, e.Message);
        }

        var serverUrl = registry == ImageReference.DockerHub ? DockerHubKey : registry;
        if (FindEntry(config["credHelpers"] as JsonObject, registry) is JsonValue helper && helper.TryGetValue<string>(out var helperName))
            return new CredentialHelper(helperName, path, options.Environment).Get(serverUrl);
        if (FindEntry(config["auths"] as JsonObject, registry) is JsonObject entry && FromAuthEntry(entry, path) is { } fromEntry)
            return fromEntry;
        if (config["credsStore"] is JsonValue store && store.TryGetValue<string>(out var storeName) && storeName.Length > 0)
            return new CredentialHelper(storeName, path, options.Environment).Get(serverUrl);
        return null;
    }

    private static RegistryCredential? FromAuthEntry(JsonObject entry, string path)
    {
        var source = path;
        if (Text(entry, "identitytoken") is { Length: > 0 } identityToken)
            return new RegistryCredential(Text(entry, "username") ?? string.Empty, identityToken, isIdentityToken: true, source);
        if (Text(entry, "auth") is { Length: > 0 } auth)
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(auth));
            }
            catch (FormatException)
            {
                throw new ModulusException(Errors.DockerConfigInvalid, path, "an 'auth' value is not base64 of user:password");
            }
            var colon = decoded.IndexOf(':');
            if (colon <= 0) throw new ModulusException(Errors.DockerConfigInvalid, path, "an 'auth' value is not base64 of user:password");
            return new RegistryCredential(decoded[..colon], decoded[(colon + 1)..], isIdentityToken: false, source);
        }
        if (Text(entry, "username") is { Length: > 0 } user && Text(entry, "password") is { Length: > 0 } password)
            return new RegistryCredential(user, password, isIdentityToken: false, source);
        return null;
    }

    /// <summary>
    /// Config keys are written many ways ("host", "https://host", "http://host/v2/", Docker Hub's
    /// legacy URL); they match when their host[:port] is the registry's.
    /// </summary>
    private static JsonNode? FindEntry(JsonObject? section, string registry)
    {
        if (section is null) return null;
        foreach (var (key, value) in section)
            if (string.Equals(Normalize(key), registry, StringComparison.OrdinalIgnoreCase)) return value;
        return null;
    }

    private static string Normalize(string key)
    {
        var host = key;
        var scheme = host.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0) host = host[(scheme + 3)..];
        var slash = host.IndexOf('/');
        if (slash >= 0) host = host[..slash];
        return host is "index.docker.io" or "registry-1.docker.io" ? ImageReference.DockerHub : host;
    }

    private static string? Text(JsonObject o, string name) =>
        o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
