using Modulus.Diagnostics;
using Modulus.Plan;

namespace Modulus.Tests.Publishing;

public class PermissionModeTests
{
    [TestCase("0644", 0b110_100_100, Description = "four digits with a leading zero")]
    [TestCase("755", 0b111_101_101, Description = "three digits")]
    [TestCase("4755", 0b100_111_101_101, Description = "setuid")]
    [TestCase("0", 0, Description = "no permissions at all")]
    [TestCase(" 0600 ", 0b110_000_000, Description = "spaces around the digits")]
    public void Parses_octal(string text, int expected) =>
        PermissionMode.Parse(text, "item").ShouldNotBeNull().Bits.ShouldBe(expected);

    [TestCase(null)]
    [TestCase("")]
    [TestCase("  ")]
    public void Nothing_written_means_the_default(string? text) =>
        PermissionMode.Or(PermissionMode.Parse(text, "item"), 0b110_100_100).ShouldBe(0b110_100_100);

    [TestCase("0999", Description = "not octal")]
    [TestCase("07755", Description = "five digits")]
    [TestCase("rwxr-xr-x", Description = "symbolic")]
    [TestCase("-1", Description = "negative")]
    [TestCase("0x1ed", Description = "hex")]
    public void Refuses_what_is_not_up_to_four_octal_digits(string text)
    {
        var error = Should.Throw<ModulusException>(() => PermissionMode.Parse(text, "hello.txt"));
        error.Code.ShouldBe("MOD5004");
        error.Message.ShouldContain(text);
        error.Message.ShouldContain("hello.txt");
    }
}
