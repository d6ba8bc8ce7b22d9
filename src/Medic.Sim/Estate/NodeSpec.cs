namespace Medic.Sim.Estate;

/// <summary>A node of the simulated cluster.</summary>
/// <param name="Name">The node.</param>
/// <param name="Zone">Its availability zone.</param>
/// <param name="Cores">Allocatable CPU cores.</param>
/// <param name="MemoryBytes">Allocatable memory.</param>
public sealed record NodeSpec(string Name, string Zone, double Cores, long MemoryBytes);
