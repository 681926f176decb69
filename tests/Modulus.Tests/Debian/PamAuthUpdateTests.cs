using Modulus.Debian;
using Modulus.Layers;

namespace Modulus.Tests.Debian;

public class PamAuthUpdateTests
{
    private const string Unix = "Name: Unix authentication\nDefault: yes\nPriority: 256\nAuth-Type: Primary\nAuth:\n\t[success=end default=ignore]\tpam_unix.so nullok try_first_pass\nAuth-Initial:\n\t[success=end default=ignore]\tpam_unix.so nullok\nSession-Type: Additional\nSession:\n\trequired\tpam_unix.so\n";
    private const string Extra = "Name: Extra\nDefault: yes\nPriority: 100\nAuth-Type: Primary\nAuth:\n\t[success=end default=ignore]\tpam_extra.so\nSession-Interactive-Only: yes\nSession-Type: Additional\nSession:\n\toptional\tpam_extra.so\n";
    private const string Disabled = "Name: Off\nDefault: no\nPriority: 900\nAuth-Type: Primary\nAuth:\n\t[success=end default=ignore]\tpam_off.so\n";

    [Test]
    public void Enabled_profiles_fill_the_templates_with_jumps_past_the_primary_block()
    {
        var tree = new InstallTree([]);
        Put(tree, "/usr/share/pam-configs/unix", Unix);
        Put(tree, "/usr/share/pam-configs/extra", Extra);
        Put(tree, "/usr/share/pam-configs/off", Disabled);
        Put(tree, "/usr/share/pam/common-auth", "# head\n$auth_primary\nauth\trequisite\tpam_deny.so\n$auth_additional\n");
        Put(tree, "/usr/share/pam/common-session", "$session_primary\n$session_additional\n");
        Put(tree, "/usr/share/pam/common-session-noninteractive", "$session_primary\n$session_additional\n");

        PamAuthUpdate.Apply(tree, _ => false);

        Read(tree, "/etc/pam.d/common-auth").ShouldBe(
            "# head\nauth\t[success=2 default=ignore]\tpam_unix.so nullok\nauth\t[success=1 default=ignore]\tpam_extra.so\nauth\trequisite\tpam_deny.so\n\n");
        const string noPrimary = "session\t[default=1]\t\t\tpam_permit.so\n";
        Read(tree, "/etc/pam.d/common-session").ShouldBe(noPrimary + "session\trequired\tpam_unix.so\nsession\toptional\tpam_extra.so\n");
        Read(tree, "/etc/pam.d/common-session-noninteractive").ShouldBe(noPrimary + "session\trequired\tpam_unix.so\n");
    }

    [Test]
    public void A_file_the_base_has_is_kept()
    {
        var tree = new InstallTree([]);
        Put(tree, "/usr/share/pam-configs/unix", Unix);
        Put(tree, "/usr/share/pam/common-auth", "$auth_primary\n");

        PamAuthUpdate.Apply(tree, path => path.Value == "/etc/pam.d/common-auth");

        tree.Get(UnixPath.Parse("/etc/pam.d/common-auth")).ShouldBeNull();
    }

    private static void Put(InstallTree tree, string path, string text) =>
        tree.Put(new FileEntry(UnixPath.Parse(path), FileContent.FromText(text)));

    private static string Read(InstallTree tree, string path)
    {
        using var reader = new StreamReader(((FileEntry)tree.Get(UnixPath.Parse(path))!).Content.OpenRead());
        return reader.ReadToEnd();
    }
}
