using Modulus.Diagnostics;

namespace Modulus.Plan;

/// <summary>The Mode metadata, checked when it is read: one to four octal digits (0644, 755, 4755).</summary>
public readonly record struct PermissionMode
{
    private PermissionMode(int bits) => Bits = bits;

    /// <summary>The permission bits, setuid, setgid and sticky included.</summary>
    public int Bits { get; }

    /// <summary>
    /// The mode written as <paramref name="text"/>, or null when nothing was written (the entry's
    /// default applies). <paramref name="itemName"/> names the item in errors (MOD5004).
    /// </summary>
    public static PermissionMode? Parse(string? text, string itemName)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var trimmed = text.Trim();
        if (trimmed.Length > 4 || !trimmed.All(c => c is >= '0' and <= '7'))
            throw new ModulusException(Errors.InvalidMode, text, itemName);
        return new PermissionMode(Convert.ToInt32(trimmed, 8));
    }

    /// <summary>The bits of <paramref name="mode"/>, or <paramref name="defaultBits"/> when none was written.</summary>
    public static int Or(PermissionMode? mode, int defaultBits) => mode?.Bits ?? defaultBits;

    public override string ToString() => Convert.ToString(Bits, 8).PadLeft(4, '0');
}
