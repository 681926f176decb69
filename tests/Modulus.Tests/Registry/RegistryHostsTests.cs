using Modulus.Registry;

namespace Modulus.Tests.Registry;

public class RegistryHostsTests
{
    [TestCase("127.0.0.1:5000", true)]
    [TestCase("localhost:5000", true)]
    [TestCase("[::1]:5000", true)]
    [TestCase("registry.example.com", false)]
    [TestCase("10.0.0.5:5000", false)]
    public void Loopback_registries_are_recognised(string registry, bool loopback) =>
        RegistryHosts.IsLoopback(registry).ShouldBe(loopback);

    [Test]
    public void Insecure_registries_come_from_both_variables_and_the_options()
    {
        var environment = new Dictionary<string, string>
        {
            ["MODULUS_INSECURE_REGISTRIES"] = "one.example.com, two.example.com:5000",
            ["DOTNET_CONTAINER_INSECURE_REGISTRIES"] = "three.example.com",
        };
        var options = new RegistryOptions { Environment = environment.GetValueOrDefault, InsecureRegistries = ["four.example.com"] };

        new[] { "one.example.com", "two.example.com:5000", "three.example.com", "four.example.com" }.ShouldAllBe(r => RegistryHosts.IsListedInsecure(r, options));
        RegistryHosts.IsListedInsecure("two.example.com", options).ShouldBeFalse("the port is part of the name");
    }
}
