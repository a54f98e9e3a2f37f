// @cognito-guard/cli: the `cognito-guard` command, also callable in-process.

export { describeTime } from './commands/decode';
export { lintWarnings } from './commands/lint';
export { CliError, EXIT, type ExitCode } from './exit-codes';
export { type Io, processIo } from './io';
export { runCli } from './program';
