namespace Modulus.Contract;

/// <summary>Whether breaking a rule fails the build or only reports it.</summary>
public enum ContractSeverity { Error, Warning }
