namespace Modulus.Diagnostics;

/// <summary>Where an input was declared (a project file and line), so errors can point at it.</summary>
public sealed record SourceLocation(string? File, int Line = 0)
{
    public static readonly SourceLocation Unknown = new(File: null);

    public override string ToString() => File is null ? "unknown location" : Line > 0 ? $"{File}:{Line}" : File;
}
