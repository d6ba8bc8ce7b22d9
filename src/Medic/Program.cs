using System.CommandLine;
using Medic.Cli;

var root = new RootCommand("Medic: AIOps fault self-healing. Detects, diagnoses and heals faults within safety rails.")
{
    DemoCommand.Create(),
    ServeCommand.Create(),
    RunCommand.Create(),
    LogsCommand.Create(),
    DetectCommand.Create(),
    SimCommand.Create(),
    BenchCommand.Create(),
    RcaCommand.Create(),
    AuthCommand.Create(),
    PlaybookCommand.Create(),
    ApprovalCommands.Approve(),
    ApprovalCommands.Reject(),
    KillSwitchCommand.Create(),
    SilenceCommand.Create(),
    TrainCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
