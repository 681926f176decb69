namespace Modulus.Diagnostics;

/// <summary>
/// One documented failure: a stable code (MODnnnn) and a message template whose placeholders name
/// the bad value. Every template says what failed and what to do about it.
/// </summary>
public sealed record ErrorCode(string Code, string Template)
{
    /// <summary>The message as a user reads it: "MODnnnn: " and <see cref="Text"/>.</summary>
    public string Format(params object?[] args) => $"{Code}: {Text(args)}";

    /// <summary>The message without its code, for logs that print the code apart.</summary>
    public string Text(params object?[] args) => string.Format(System.Globalization.CultureInfo.InvariantCulture, Template, args);
}
