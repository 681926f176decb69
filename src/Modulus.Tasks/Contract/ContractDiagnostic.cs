using Modulus.Diagnostics;
using Modulus.Layers;

namespace Modulus.Contract;

/// <summary>
/// One broken rule of the standard. <see cref="Text"/> names the first few offending paths;
/// <see cref="Paths"/> holds all of them.
/// </summary>
public sealed record ContractDiagnostic(ErrorCode Error, ContractSeverity Severity, string Text, IReadOnlyList<UnixPath> Paths)
{
    /// <summary>What the diagnostic is about: the image, or the project's start (reported at its line).</summary>
    public ContractSubject Subject { get; init; } = ContractSubject.Image;

    public string Code => Error.Code;

    /// <summary>The text after its code, as a message that carries its own code reads.</summary>
    public string Message => $"{Code}: {Text}";

    public override string ToString() => $"{Severity.ToString().ToLowerInvariant()} {Message}";
}
