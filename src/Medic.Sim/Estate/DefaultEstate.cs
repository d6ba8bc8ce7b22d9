namespace Medic.Sim.Estate;

/// <summary>The estate the demo runs: a small web shop on three nodes in two zones.</summary>
public static class DefaultEstate
{
    private const long GiB = 1L << 30;

    /// <summary>Builds the default estate.</summary>
    public static EstateSpec Create() => new(
        Namespace: "shop",
        Services:
        [
            new("frontend", 3, "2.4.1", 0.040, 0.0010, Tier: "edge"),
            new("catalog", 2, "1.12.0", 0.030, 0.0012),
            new("cart", 2, "3.0.2", 0.020, 0.0008),
            new("checkout", 2, "1.5.0", 0.060, 0.0015),
            new("payment", 2, "1.8.0", 0.080, 0.0010),
            new("recommendation", 2, "0.9.3", 0.050, 0.0020),
            new("redis", 1, "7.2.4", 0.004, 0.0002, Stateful: true, Tier: "data"),
            new("postgres", 1, "16.2", 0.012, 0.0006, Stateful: true, Tier: "data"),
        ],
        Calls:
        [
            new("frontend", "catalog", 1.0),
            new("frontend", "cart", 0.6),
            new("frontend", "recommendation", 0.5),
            new("frontend", "checkout", 0.1),
            new("checkout", "cart", 1.0),
            new("checkout", "payment", 1.0),
            new("checkout", "postgres", 2.0),
            new("cart", "redis", 2.0),
            new("catalog", "postgres", 1.0),
            new("recommendation", "catalog", 1.0),
        ],
        Nodes:
        [
            new("node-1", "zone-a", 4, 16 * GiB),
            new("node-2", "zone-b", 4, 16 * GiB),
            new("node-3", "zone-b", 4, 16 * GiB),
        ],
        EntryService: "frontend",
        PeakRequestsPerSecond: 120);
}
