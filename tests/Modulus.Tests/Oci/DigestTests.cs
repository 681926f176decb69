using System.Text;
using Modulus.Diagnostics;
using Modulus.Oci;

namespace Modulus.Tests.Oci;

public class DigestTests
{
    [Test]
    public void Computes_sha256_of_content()
    {
        // sha256("abc") from FIPS 180-2.
        Digest.Compute(Encoding.ASCII.GetBytes("abc")).ToString()
            .ShouldBe("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    [TestCase("sha256:ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef0123456789", TestName = "upper-case hex")]
    [TestCase("sha256:abc", TestName = "too short")]
    [TestCase("md5:0123456789abcdef0123456789abcdef", TestName = "unknown algorithm")]
    [TestCase("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", TestName = "no algorithm")]
    public void Rejects_malformed_digests(string value)
    {
        Digest.TryParse(value, out _).ShouldBeFalse();
        Should.Throw<ModulusException>(() => Digest.Parse(value)).Code.ShouldBe("MOD2002");
    }
}
