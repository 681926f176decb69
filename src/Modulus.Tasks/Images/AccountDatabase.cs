namespace Modulus.Images;

/// <summary>Users and groups of an image, from its /etc/passwd and /etc/group.</summary>
public sealed class AccountDatabase
{
    public static AccountDatabase FromFileSystem(ImageFileSystem fileSystem) => throw new NotImplementedException();

    public int? FindUserId(string name) => throw new NotImplementedException();

    public int? FindGroupId(string name) => throw new NotImplementedException();

    /// <summary>The primary group id of a user, or null when the user is unknown.</summary>
    public int? PrimaryGroupOf(string userName) => throw new NotImplementedException();
}
