using Modulus.Diagnostics;

namespace Modulus.Publishing;

/// <summary>Parses the Mode metadata: one to four octal digits (0644, 755, 4755).</summary>
public static class PermissionMode
{
    /// <summary>
    /// The permission bits written as <paramref name="text"/>, or <paramref name="defaultMode"/>
    /// when nothing was written. <paramref name="itemName"/> names the item in errors.
    /// </summary>
    public static int Parse(string? text, string itemName, int defaultMode)
    {
        if (string.IsNullOrWhiteSpace(text)) return defaultMode;
        var trimmed = text.Trim();
        if (trimmed.Length > 4 || !trimmed.All(c => c is >= '0' and <= '7'))
            throw new ModulusException(Errors.InvalidMode, text, itemName);
        return Convert.ToInt32(trimmed, 8);
    }
}
