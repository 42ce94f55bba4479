#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { VERSION } from './version.js';
import { registerAuditCommand } from './audit.js';
import { registerRulesCommand } from './rules.js';
import { UsageError } from './common.js';
import { ConfigError } from '../config/load.js';

const program = new Command();
program
  .name('pipewarden')
  .description('CI/CD pipeline security: audit workflows, find leaked secrets, gate pipelines')
  .version(VERSION)
  .showHelpAfterError()
  .exitOverride()
  .addHelpText(
    'after',
    `
Examples:
  $ pipewarden audit                       audit GitHub Actions in this repository
  $ pipewarden secrets --git               leaked credentials in the whole git history
  $ pipewarden rules template-injection    how a rule works and how to fix what it finds`,
  );

registerAuditCommand(program);
registerRulesCommand(program);
try {
  const secrets = await import('./secrets.js');
  secrets.registerSecretsCommand(program);
} catch (e) {
  if (process.env.PIPEWARDEN_DEBUG) console.error(e);
}

try {
  await program.parseAsync(process.argv);
} catch (e) {
  process.exitCode = exitCodeForError(e);
}

/** Exit codes: 2 for the user's mistakes (flags, config, paths), 3 for our own bugs. No stack traces unless asked. */
function exitCodeForError(e: unknown): number {
  if (e instanceof CommanderError) {
    // --help and --version end with code 0; commander already printed the message.
    return e.exitCode === 0 ? 0 : 2;
  }
  if (e instanceof ConfigError) {
    const where = [e.file, e.line, e.column].filter((x) => x !== undefined && x !== '').join(':');
    process.stderr.write(`${where ? `${where}: ` : ''}error: ${e.message}\n`);
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
