namespace Medic.Sim.Cluster;

/// <summary>A workload's pods were replaced: a new image, a restart, or a rollback.</summary>
/// <param name="Service">The workload.</param>
/// <param name="OldImage">The image before.</param>
/// <param name="NewImage">The image after.</param>
/// <param name="Actor">Who asked for it.</param>
/// <param name="At">When.</param>
public sealed record Rollout(string Service, string OldImage, string NewImage, string Actor, DateTimeOffset At);
