namespace Medic.Sim.Cluster;

/// <summary>A workload's pods were replaced: a new image or configuration, a restart, or a rollback.</summary>
/// <param name="Service">The workload.</param>
/// <param name="OldImage">The image before.</param>
/// <param name="NewImage">The image after.</param>
/// <param name="Actor">Who asked for it.</param>
/// <param name="At">When.</param>
/// <param name="OldConfig">The configuration revision before ("" for none).</param>
/// <param name="NewConfig">The configuration revision after.</param>
public sealed record Rollout(string Service, string OldImage, string NewImage, string Actor, DateTimeOffset At, string OldConfig = "", string NewConfig = "");
