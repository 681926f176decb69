using System.Net;
using Modulus.Oci;

namespace Modulus.Registry;

/// <summary>What Modulus knows about a registry host: its API address and whether plain HTTP may be used.</summary>
internal static class RegistryHosts
{
    /// <summary>The variables that list insecure registries, comma- or semicolon-separated.</summary>
    public static readonly string[] InsecureVariables = ["MODULUS_INSECURE_REGISTRIES", "DOTNET_CONTAINER_INSECURE_REGISTRIES"];

    /// <summary>Docker Hub's API lives on another host than the name references use.</summary>
    public static string ApiHost(string registry) => registry == ImageReference.DockerHub ? "registry-1.docker.io" : registry;

    public static bool IsLoopback(string registry)
    {
        var host = HostOf(registry);
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address);
    }

    /// <summary>Listed as insecure by the options or the environment (loopback registries are not listed but also allowed plain HTTP).</summary>
    public static bool IsListedInsecure(string registry, RegistryOptions options) =>
        options.InsecureRegistries
            .Concat(InsecureVariables.SelectMany(v => (options.Environment(v) ?? string.Empty).Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
            .Any(entry => string.Equals(entry, registry, StringComparison.OrdinalIgnoreCase));

    /// <summary>The host without its port; IPv6 literals lose their brackets.</summary>
    public static string HostOf(string registry)
    {
        if (registry.StartsWith('['))
        {
            var end = registry.IndexOf(']');
            return end > 0 ? registry[1..end] : registry;
        }
        var colon = registry.LastIndexOf(':');
        return colon > 0 ? registry[..colon] : registry;
    }
}
