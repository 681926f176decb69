using System.Text.Json;
using Modulus.Diagnostics;

namespace Modulus.Npm;

/// <summary>
/// One published version: where its tarball is, how to verify it, and which Node.js it wants;
/// <see cref="UnpackedSize"/> and <see cref="FileCount"/> (dist.unpackedSize, dist.fileCount),
/// when the registry gives them, bound the tarball's size (<see cref="NpmLimits.DeclaredTarballLimit"/>).
/// </summary>
public sealed record NpmVersionInfo(string Name, SemVersion Version, Uri Tarball, string? Integrity, string? Shasum, string? EnginesNode,
    long? UnpackedSize = null, long? FileCount = null);

/// <summary>
/// The registry's metadata of a package (its "packument"), reduced to what installing needs.
/// Versions whose number or tarball URL cannot be read are left out, as npm leaves them out.
/// </summary>
public sealed class NpmPackument
{
    private NpmPackument(string name, IReadOnlyDictionary<SemVersion, NpmVersionInfo> versions)
    {
        Name = name;
        Versions = versions;
    }

    public string Name { get; }

    public IReadOnlyDictionary<SemVersion, NpmVersionInfo> Versions { get; }

    public static NpmPackument Parse(string name, Stream json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (!document.RootElement.TryGetProperty("versions", out var versions) || versions.ValueKind != JsonValueKind.Object)
                throw new ModulusException(Errors.NpmMetadataInvalid, name, "it has no 'versions' object");
            var result = new Dictionary<SemVersion, NpmVersionInfo>();
            foreach (var property in versions.EnumerateObject())
            {
                if (ReadVersion(name, property) is { } info) result[info.Version] = info;
            }
            return new NpmPackument(name, result);
        }
        catch (JsonException e)
        {
            throw new ModulusException(Errors.NpmMetadataInvalid, e, name, e.Message);
        }
    }

    private static NpmVersionInfo? ReadVersion(string name, JsonProperty property)
    {
        if (!SemVersion.TryParse(property.Name, out var version) || property.Value.ValueKind != JsonValueKind.Object) return null;
        if (!property.Value.TryGetProperty("dist", out var dist) || dist.ValueKind != JsonValueKind.Object) return null;
        if (String(dist, "tarball") is not { } tarball || !Uri.TryCreate(tarball, UriKind.Absolute, out var tarballUrl)) return null;
        string? enginesNode = null;
        if (property.Value.TryGetProperty("engines", out var engines) && engines.ValueKind == JsonValueKind.Object)
            enginesNode = String(engines, "node");
        return new NpmVersionInfo(name, version, tarballUrl, String(dist, "integrity"), String(dist, "shasum"), enginesNode,
            Number(dist, "unpackedSize"), Number(dist, "fileCount"));
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : null;

    /// <summary>The highest version in <paramref name="range"/>; pre-releases only when the range names one.</summary>
    public NpmVersionInfo Resolve(SemVerRange range) => Resolve(range, _ => true);

    /// <summary>The highest version in <paramref name="range"/> that <paramref name="accept"/> also allows.</summary>
    public NpmVersionInfo Resolve(SemVerRange range, Func<NpmVersionInfo, bool> accept)
    {
        var best = range.Highest(Versions.Values.Where(accept).Select(v => v.Version));
        if (best is not null) return Versions[best];
        var newest = Versions.Keys.Where(v => !v.IsPrerelease).OrderDescending().Take(5).ToArray();
        throw new ModulusException(Errors.NpmNoMatchingVersion, Name, range.Text,
            newest.Length == 0 ? "(none)" : string.Join(", ", newest.Select(v => v.ToString())));
    }
}
