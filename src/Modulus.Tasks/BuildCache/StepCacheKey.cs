using System.Security.Cryptography;
using System.Text;
using Modulus.Oci;

namespace Modulus.BuildCache;

/// <summary>
/// The key a step's finished layer is kept under in the build cache: a digest of everything that
/// decides the layer's bytes (the cache's format, the build of Modulus that writes it, the
/// platform, the timestamp every entry gets, the diffIDs of every layer below, and the step's own
/// inputs), and the tag it is kept at. Equal keys mean the step would write the same layer.
/// </summary>
internal sealed record StepCacheKey(string Step, string Value)
{
    /// <summary>The tag of the entry: the step's name and the key's hex (a tag holds at most 128 characters; this takes at most 64 + 21).</summary>
    public string Tag => $"{Step}-{Value}";

    /// <summary>
    /// The build of Modulus running here: the module version id of this assembly, which a
    /// deterministic compiler derives from the assembly's content, so the same source built the
    /// same way is the same build on every machine.
    /// </summary>
    public static string ThisBuild { get; } = typeof(StepCacheKey).Assembly.ManifestModule.ModuleVersionId.ToString();

    /// <summary>
    /// The key of <paramref name="step"/>'s layer (its name in lower case, a tag's characters only,
    /// 20 at most) laid on <paramref name="layersBelow"/> (none for a layer whose bytes do not
    /// depend on the layers below it), written by the Modulus build <paramref name="build"/>.
    /// </summary>
    public static StepCacheKey Of(string step, string build, Platform platform, DateTimeOffset timestamp, IEnumerable<Digest> layersBelow, IEnumerable<string> inputs)
    {
        var text = new StringBuilder();
        text.Append("modulus-cache|").Append(RegistryBuildCache.Format).Append('|').AppendLine(step);
        // Another build of Modulus may write other bytes for the same inputs: its entries are other keys.
        text.Append("build|").AppendLine(build);
        // Another runtime's deflate may compress the same tar to other bytes: a hit must be the bytes this machine would write.
        text.AppendLine(Layers.LayerKey.CompressionIdentity);
        text.AppendLine(platform.ToString());
        text.AppendLine(timestamp.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var diffId in layersBelow) text.Append("below|").AppendLine(diffId.ToString());
        foreach (var input in inputs) text.Append("input|").AppendLine(input);
        return new StepCacheKey(step, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))));
    }
}
