namespace Modulus.Diagnostics;

/// <summary>
/// One documented failure: a stable code (MODnnnn) and a message template whose placeholders name
/// the bad value. Every template says what failed and what to do about it.
/// </summary>
public sealed record ErrorCode(string Code, string Template)
{
    public string Format(params object?[] args) =>
        $"{Code}: {string.Format(System.Globalization.CultureInfo.InvariantCulture, Template, args)}";
}
