using Modulus.Diagnostics;
using Modulus.Images;
using Modulus.Plan;

namespace Modulus.Tests.Publishing;

public class OwnerSpecTests
{
    private static AccountDatabase NoNamesNeeded() => throw new AssertionException("numeric owners must not read the image's accounts");

    [TestCase("1000:2000", 1000, 2000, Description = "uid:gid")]
    [TestCase("1000", 1000, 1000, Description = "a numeric user alone also sets the group, as Docker does")]
    [TestCase("0:0", 0, 0, Description = "root")]
    [TestCase(null, 0, 0, Description = "no Owner means root")]
    public void Numeric_owners_resolve_without_the_image(string? text, int uid, int gid)
    {
        var spec = OwnerSpec.Parse(text, "item");

        spec.UsesNames.ShouldBeFalse();
        spec.Resolve(NoNamesNeeded, "item").ShouldBe((uid, gid));
    }

    [TestCase("app", Description = "a user name")]
    [TestCase("app:staff", Description = "user and group names")]
    [TestCase("1000:staff", Description = "a number and a group name")]
    [TestCase("_svc-1.x", Description = "underscores, dashes and dots")]
    public void Names_are_accepted_and_need_the_image(string text) =>
        OwnerSpec.Parse(text, "item").UsesNames.ShouldBeTrue();

    [TestCase("1:2:3", "more than one ':'")]
    [TestCase(":0", "a part is empty")]
    [TestCase("0:", "a part is empty")]
    [TestCase("99999999999", "larger than the largest id")]
    [TestCase("app user", "neither a number nor a user or group name")]
    [TestCase("-1", "neither a number nor a user or group name")]
    public void Refuses_bad_syntax_saying_why(string text, string reason)
    {
        var error = Should.Throw<ModulusException>(() => OwnerSpec.Parse(text, "hello.txt"));

        error.Code.ShouldBe("MOD5005");
        error.Message.ShouldContain(reason);
        error.Message.ShouldContain("hello.txt");
    }
}
