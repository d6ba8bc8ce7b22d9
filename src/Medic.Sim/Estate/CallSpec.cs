namespace Medic.Sim.Estate;

/// <summary>A call edge: each request to <paramref name="From"/> makes <paramref name="PerRequest"/> calls to <paramref name="To"/>.</summary>
public sealed record CallSpec(string From, string To, double PerRequest);
