using Modulus.Diagnostics;

namespace Modulus.Layers;

/// <summary>
/// An absolute, normalized path inside an image (never a host path): starts with '/', no empty,
/// '.' or '..' segments, no trailing slash. The root is "/".
/// </summary>
public readonly record struct UnixPath : IComparable<UnixPath>
{
    private UnixPath(string value) => Value = value;

    public static readonly UnixPath Root = new("/");

    public string Value => field ?? "/";

    public bool IsRoot => Value == "/";

    /// <summary>The path as a tar entry name: no leading slash ("usr/bin/env"); "." for the root.</summary>
    public string TarName => IsRoot ? "." : Value[1..];

    public UnixPath? Parent => IsRoot ? null : new UnixPath(Value.LastIndexOf('/') is var i && i == 0 ? "/" : Value[..i]);

    public string Name => IsRoot ? string.Empty : Value[(Value.LastIndexOf('/') + 1)..];

    public IEnumerable<UnixPath> Ancestors()
    {
        for (var p = Parent; p is not null; p = p.Value.Parent) yield return p.Value;
    }

    public UnixPath Combine(string relative) => Parse(Value + "/" + relative);

    /// <summary>
    /// <paramref name="name"/> inside this path, without normalizing again: for a caller that holds
    /// one segment already (no '/', not empty, "." or ".."), such as a name split from a normalized path.
    /// </summary>
    internal UnixPath ChildNamed(string name) => new(IsRoot ? "/" + name : Value + "/" + name);

    /// <summary>A path from a string already normalized (an image view rebuilding a path it took apart), not checked again.</summary>
    internal static UnixPath FromNormalized(string value) => value == "/" ? Root : new(value);

    /// <summary>The ancestor of this path (or the path) that ends at character <paramref name="end"/> of <see cref="Value"/>; 0 is the root.</summary>
    internal UnixPath PrefixEndingAt(int end) => end == 0 ? Root : end == Value.Length ? this : new(Value[..end]);

    public bool IsUnder(UnixPath ancestor) =>
        ancestor.IsRoot || Value == ancestor.Value || Value.StartsWith(ancestor.Value + "/", StringComparison.Ordinal);

    /// <summary>
    /// Parses a path given by a user: it must be absolute; '.' and '..' are resolved lexically and
    /// a '..' above the root is an error. <paramref name="what"/> names the input in the error.
    /// </summary>
    public static UnixPath Parse(string value, string what = "Path")
    {
        if (string.IsNullOrEmpty(value) || value[0] != '/')
            throw new ModulusException(Errors.InvalidContainerPath, what, value, "it is not absolute");
        if (value.Contains('\0') || value.Contains('\\'))
            throw new ModulusException(Errors.InvalidContainerPath, what, value, "it contains a NUL or backslash");
        return TryNormalize(value, out var path)
            ? path
            : throw new ModulusException(Errors.InvalidContainerPath, what, value, "'..' climbs above the root");
    }

    /// <summary>
    /// Normalizes a tar entry name the way Docker does: a leading '/' is dropped (entries are
    /// relative to the root either way), '.' and empty segments vanish; '..' that climbs above the
    /// root fails.
    /// </summary>
    public static bool TryFromTarName(string name, out UnixPath path) => TryNormalize("/" + name, out path);

    private static bool TryNormalize(string value, out UnixPath path)
    {
        path = Root;
        var segments = new List<string>();
        foreach (var segment in value.Split('/'))
        {
            if (segment is "" or ".") continue;
            if (segment == "..")
            {
                if (segments.Count == 0) return false;
                segments.RemoveAt(segments.Count - 1);
                continue;
            }
            segments.Add(segment);
        }
        path = segments.Count == 0 ? Root : new UnixPath("/" + string.Join('/', segments));
        return true;
    }

    public int CompareTo(UnixPath other) => string.CompareOrdinal(Value, other.Value);

    // By value: default(UnixPath) is the root and must equal Root, though its field is null.
    public bool Equals(UnixPath other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    public override int GetHashCode() => Value.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => Value;
}
