namespace Medic.Core.Rca;

/// <summary>Settings of the diagnosis stage.</summary>
public sealed class DiagnosisOptions
{
    /// <summary>
    /// How long an incident gathers signals before its first diagnosis (like Alertmanager's
    /// group_wait): symptoms of one fault arrive over a few scrapes. Default 1 minute.
    /// </summary>
    public TimeSpan SettleTime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How far before the incident a change counts as a suspect. Default 30 minutes.</summary>
    public TimeSpan ChangeLookback { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Softmax temperature turning scores into confidences; lower is more decisive. Default 0.1.</summary>
    public double Temperature { get; set; } = 0.1;
}
