using Modulus.Diagnostics;
using Modulus.Layers;

namespace Modulus.Contract;

/// <summary>
/// One broken rule of the standard. <see cref="Message"/> starts with the code and names the first
/// few offending paths; <see cref="Paths"/> holds all of them.
/// </summary>
public sealed record ContractDiagnostic(ErrorCode Error, ContractSeverity Severity, string Message, IReadOnlyList<UnixPath> Paths)
{
    /// <summary>What the diagnostic is about: the image, or the project's start (reported at its line).</summary>
    public ContractSubject Subject { get; init; } = ContractSubject.Image;

    public string Code => Error.Code;

    /// <summary>The message without its leading code, for loggers that print the code apart.</summary>
    public string Text => Message[(Code.Length + 2)..];

    public override string ToString() => $"{Severity.ToString().ToLowerInvariant()} {Message}";
}
