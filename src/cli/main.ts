#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { VERSION } from './version.js';
import { isClosedPipe, UsageError } from './errors.js';
import { ConfigError } from '../config/errors.js';

/**
 * Commands and the modules that define them. Only the command being run is imported, so a
 * pre-commit `pipewarden audit file.yml` does not pay for the secrets detectors (and vice versa).
 */
const COMMANDS: Record<string, () => Promise<(program: Command) => void>> = {
  audit: async () => (await import('./audit.js')).registerAuditCommand,
  secrets: async () => (await import('./secrets.js')).registerSecretsCommand,
  scan: async () => (await import('./scan.js')).registerScanCommand,
  rules: async () => (await import('./rules.js')).registerRulesCommand,
  fix: async () => (await import('./fix.js')).registerFixCommand,
  sast: async () => (await import('./sast.js')).registerSastCommand,
  deps: async () => (await import('./deps.js')).registerDepsCommand,
  report: async () => (await import('./report.js')).registerReportCommand,
  posture: async () => (await import('./posture.js')).registerPostureCommand,
  monitor: async () => (await import('./monitor.js')).registerMonitorCommand,
  ir: async () => (await import('./ir.js')).registerIrCommand,
  serve: async () => (await import('./serve.js')).registerServeCommand,
  sarif: async () => (await import('./sarif-import.js')).registerSarifCommand,
};

/**
 * A reader that closes the pipe early (`pipewarden rules | head`) is normal use, not a crash:
 * without a listener, EPIPE on stdout or stderr is an unhandled 'error' event with a stack trace.
 * Output to a closed pipe is dropped quietly; the command still ends with its own exit code.
 * Any other write error on these streams (disk full behind a redirect) is an internal error.
 */
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (isClosedPipe(err)) return;
    process.exitCode = 3;
    if (stream !== process.stderr && !process.stderr.destroyed) process.stderr.write(`error: cannot write the output: ${(err as NodeJS.ErrnoException).code ?? err.message}\n`);
  });
}

const program = new Command();
program
  .name('pipewarden')
  .description('CI/CD pipeline security: audit workflows, find leaked secrets, gate pipelines')
  .version(VERSION)
  // A usage error is one line and a hint, not the whole help (see hintAfterErrors).
  .showHelpAfterError('run `pipewarden --help` for usage')
  .exitOverride()
  .addHelpText(
    'after',
    `
Examples:
  $ pipewarden audit                       audit CI definitions in this repository
  $ pipewarden secrets --git               leaked credentials in the whole git history
  $ pipewarden rules template-injection    how a rule works and how to fix what it finds`,
  );

try {
  const args = process.argv.slice(2);
  const wanted = args.find((a) => !a.startsWith('-'));
  // `pipewarden --version` (or -V) without a command prints the version and loads no command:
  // importing all of them to register their help costs most of a second here (issue 9: < 80 ms).
  const versionOnly = wanted === undefined && args.some((a) => a === '--version' || a === '-V') && !args.some((a) => a === '--help' || a === '-h');
  const names = versionOnly ? [] : wanted && wanted in COMMANDS ? [wanted] : Object.keys(COMMANDS);
  for (const name of names) (await COMMANDS[name]!())(program);
  hintAfterErrors(program, 'pipewarden');
  await program.parseAsync(process.argv);
} catch (e) {
  process.exitCode = exitCodeForError(e);
}

/** Each (sub)command's usage errors end with a hint naming its own help, e.g. `pipewarden ir sweep-logs --help`. */
function hintAfterErrors(cmd: Command, path: string): void {
  for (const sub of cmd.commands) {
    const subPath = `${path} ${sub.name()}`;
    sub.showHelpAfterError(`run \`${subPath} --help\` for usage`);
    hintAfterErrors(sub, subPath);
  }
}

/** Exit codes: 2 for the user's mistakes (flags, config, paths), 3 for our own bugs. No stack traces unless asked. */
function exitCodeForError(e: unknown): number {
  if (e instanceof CommanderError) {
    // --help and --version end with code 0; commander already printed the message.
    return e.exitCode === 0 ? 0 : 2;
  }
  if (e instanceof ConfigError) {
    const where = e.line === undefined ? e.file : `${e.file}:${e.line}:${e.column ?? 1}`;
    process.stderr.write(`${where}: error: ${e.message}\n`);
    return 2;
  }
  if (e instanceof UsageError) {
    process.stderr.write(`error: ${e.message}\n`);
    return 2;
  }
  process.stderr.write(`internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  if (process.env.PIPEWARDEN_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
  else process.stderr.write('run with PIPEWARDEN_DEBUG=1 for details, and please report this as a bug\n');
  return 3;
}
