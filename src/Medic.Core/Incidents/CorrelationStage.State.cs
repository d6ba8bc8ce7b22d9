using Medic.Core.Signals;

namespace Medic.Core.Incidents;

public sealed partial class CorrelationStage
{
    /// <summary>An incident correlation is still adding to, with what it needs to decide fast.</summary>
    private sealed class Tracked(Incident incident, Footprint footprint)
    {
        public Incident Incident { get; set; } = incident;

        public Footprint Footprint { get; set; } = footprint;

        /// <summary>The <see cref="KeyOf"/> of every signal it holds.</summary>
        public HashSet<string> Keys { get; } = new(StringComparer.Ordinal);

        /// <summary>The same, with the direction the series moved.</summary>
        private HashSet<string> Moves { get; } = new(StringComparer.Ordinal);

        public bool Dirty { get; set; }

        public DateTimeOffset SplitCheckedAt { get; set; }

        public DateTimeOffset AnnouncedAt { get; set; }

        public void Remember(Signal signal)
        {
            Keys.Add(KeyOf(signal));
            Moves.Add($"{KeyOf(signal)}|{signal.Direction}");
        }

        public void Remember(IEnumerable<Signal> signals)
        {
            foreach (var signal in signals)
            {
                Remember(signal);
            }
        }

        public void Remember(Tracked other)
        {
            Keys.UnionWith(other.Keys);
            Moves.UnionWith(other.Moves);
        }

        public void Forget()
        {
            Keys.Clear();
            Moves.Clear();
        }

        /// <summary>Whether the signal is one of its series swinging back the other way: a recovery, not a new problem.</summary>
        public bool SwingsBack(Signal signal) =>
            signal.Direction is not null && Keys.Contains(KeyOf(signal)) && !Moves.Contains($"{KeyOf(signal)}|{signal.Direction}");
    }

    /// <summary>New signals waiting for <c>group_wait</c> to open one incident together.</summary>
    private sealed class PendingGroup(Footprint footprint, DateTimeOffset firstArrival)
    {
        public Footprint Footprint { get; } = footprint;

        public DateTimeOffset FirstArrival { get; private set; } = firstArrival;

        public List<Signal> Signals { get; } = [];

        public HashSet<string> Keys { get; } = new(StringComparer.Ordinal);

        public int Duplicates { get; set; }

        public void Absorb(PendingGroup other)
        {
            Signals.AddRange(other.Signals);
            Keys.UnionWith(other.Keys);
            Footprint.Add(other.Footprint);
            Duplicates += other.Duplicates;
            FirstArrival = other.FirstArrival < FirstArrival ? other.FirstArrival : FirstArrival;
        }
    }
}
