namespace Modulus.Oci;

/// <summary>
/// A name checked by the rule of its kind when it is made (<see cref="ImageTag"/>,
/// <see cref="ImageRepository"/>): whatever holds one need not check it again. It reads as the
/// text it was made from.
/// </summary>
public abstract record CheckedName
{
    private protected CheckedName(string value) => Value = value;

    public string Value { get; }

    public sealed override string ToString() => Value;
}
