using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Tests.TestSupport;
using static Modulus.Tests.TestSupport.TarLayer;

namespace Modulus.Tests.Images;

public class AccountDatabaseTests
{
    private const string Passwd = """
        # comment, then a blank line

        root:x:0:0:root:/root:/bin/bash
        daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
        app:x:1654:1655:app user:/home/app:/bin/sh
        broken line without colons
        short:x:5
        letters:x:abc:1:::
        negative:x:-1:1:::
        root:x:99:99:second root is ignored:/:/bin/sh
        nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
        """;

    private const string Group = "root:x:0:\r\ndaemon:x:1:\r\n\r\n#app:x:7:\r\napp:x:1655:\r\nstaff:x:50:app,daemon\r\nbad:x:\r\n";

    [Test]
    public void Finds_users_groups_and_primary_groups_skipping_comments_and_malformed_lines()
    {
        var accounts = FromImage(Of(File("etc/passwd", Passwd), File("etc/group", Group)));

        accounts.FindUserId("root").ShouldBe(0);
        accounts.FindUserId("app").ShouldBe(1654);
        accounts.FindUserId("nobody").ShouldBe(65534);
        accounts.PrimaryGroupOf("app").ShouldBe(1655);
        accounts.FindGroupId("app").ShouldBe(1655);
        accounts.FindGroupId("staff").ShouldBe(50);
    }

    [TestCase("short")]
    [TestCase("letters")]
    [TestCase("negative")]
    [TestCase("broken line without colons")]
    [TestCase("missing")]
    public void Malformed_or_unknown_users_are_not_found(string name)
    {
        var accounts = FromImage(Of(File("etc/passwd", Passwd), File("etc/group", Group)));

        accounts.FindUserId(name).ShouldBeNull();
        accounts.PrimaryGroupOf(name).ShouldBeNull();
    }

    [Test]
    public void The_first_line_naming_an_account_wins()
    {
        FromImage(Of(File("etc/passwd", Passwd))).PrimaryGroupOf("root").ShouldBe(0);
    }

    [Test]
    public void Groups_commented_out_or_malformed_are_not_found()
    {
        var accounts = FromImage(Of(File("etc/group", Group)));

        accounts.FindGroupId("bad").ShouldBeNull();
        accounts.FindGroupId("#app").ShouldBeNull();
        accounts.FindGroupId("daemon").ShouldBe(1);
    }

    [Test]
    public void An_image_without_account_files_has_no_accounts()
    {
        var accounts = FromImage(Of(File("bin/sh", "")));

        accounts.FindUserId("root").ShouldBeNull();
        accounts.FindGroupId("root").ShouldBeNull();
    }

    [Test]
    public void The_files_of_the_topmost_layer_count_even_through_symlinks()
    {
        var accounts = FromImage(
            Of(File("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n")),
            Of(File("usr/share/accounts/passwd", "root:x:0:0:root:/root:/bin/sh\nweb:x:33:33::/var/www:/bin/false\n"),
                Symlink("etc/passwd", "/usr/share/accounts/passwd")));

        accounts.FindUserId("web").ShouldBe(33);
    }

    [Test]
    public void A_huge_passwd_is_refused()
    {
        var huge = new byte[AccountDatabase.MaxFileBytes + 1];

        Should.Throw<ModulusException>(() => FromImage(Of(File("etc/passwd", huge)))).Code.ShouldBe("MOD2106");
    }

    private static AccountDatabase FromImage(params TarLayer[] layers) =>
        AccountDatabase.FromFileSystem(ImageFileSystem.Read(layers));
}
