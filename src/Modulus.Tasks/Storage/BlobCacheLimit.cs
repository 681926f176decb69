using System.Globalization;
using System.Text.RegularExpressions;
using Modulus.Diagnostics;

namespace Modulus.Storage;

/// <summary>
/// ModulusBlobCacheLimit: the most the blob cache may hold, in bytes, or none. Units count in
/// powers of 1024, as <c>du -h</c> and <c>docker system df</c> do: <c>500MB</c>, <c>10GB</c>,
/// <c>1.5G</c>, <c>10GiB</c>; a bare number is bytes; <c>none</c> is no limit and <c>0</c> keeps
/// nothing (a prune to 0 empties the cache).
/// </summary>
public static partial class BlobCacheLimit
{
    /// <summary>
    /// 10 GiB: a full build of this repository's images (base, node, dotnet: Debian packages,
    /// three Node.js runtimes, two .NET runtimes, their layers) fills about 1.5 GB, so the default
    /// keeps several generations of them while bounding what a busy build machine keeps.
    /// </summary>
    public const long Default = 10L << 30;

    /// <summary>The text the SDK writes for <see cref="Default"/>.</summary>
    public const string DefaultText = "10GB";

    /// <summary>The automatic prune (after a publish, over the limit) goes down to this share of it, so the next publishes do not prune again at once.</summary>
    public const double LowMark = 0.8;

    /// <summary>Null: no limit. Empty text is the default.</summary>
    /// <exception cref="ModulusException">MOD2260 for any other text.</exception>
    public static long? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return Default;
        var value = text.Trim();
        if (value.Equals("none", StringComparison.OrdinalIgnoreCase)) return null;
        var match = Size().Match(value);
        if (!match.Success || !decimal.TryParse(match.Groups["number"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            throw new ModulusException(Errors.BlobCacheLimitInvalid, value);
        var shift = char.ToUpperInvariant(match.Groups["unit"].Value.FirstOrDefault('B')) switch
        {
            'K' => 10, 'M' => 20, 'G' => 30, 'T' => 40, _ => 0,
        };
        var bytes = number * (1L << shift);
        if (bytes > long.MaxValue / 2) throw new ModulusException(Errors.BlobCacheLimitInvalid, value);
        return (long)decimal.Floor(bytes);
    }

    /// <summary>Bytes as the cache's lines show them: 1024-based, one decimal.</summary>
    public static string Format(long bytes) => bytes switch
    {
        >= 1L << 40 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 40):0.0} TB"),
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.0} GB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.0} MB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 10):0.0} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };

    public static string Describe(long? limit) => limit is { } bytes ? Format(bytes) : "none";

    [GeneratedRegex(@"^(?<number>[0-9]+(\.[0-9]+)?)\s*(?<unit>(?i:[KMGT](i?B)?|B))?$")]
    private static partial Regex Size();
}
