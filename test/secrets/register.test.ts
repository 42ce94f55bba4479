/** The command registration, without a build: flags, defaults and help text. */
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseSize, registerSecretsCommand } from '../../src/cli/secrets.js';

describe('registerSecretsCommand', () => {
  it('adds `secrets [path]` with the source flags, shared flags and examples', () => {
    const program = new Command();
    registerSecretsCommand(program);
    const cmd = program.commands.find((c) => c.name() === 'secrets')!;
    const flags = cmd.options.map((o) => o.long);
    expect(flags).toEqual(expect.arrayContaining(['--git', '--since', '--staged', '--stdin', '--no-ignore', '--max-file-size', '--verify', '--format', '--fail-on', '--baseline', '--quiet']));
    let help = '';
    cmd.configureOutput({ writeOut: (s) => (help += s) });
    cmd.outputHelp();
    expect(help).toMatch(/Examples:[\s\S]*--git --since origin\/main/);
  });

  it('parses sizes with units and rejects nonsense', () => {
    expect(parseSize('1048576')).toBe(1048576);
    expect(parseSize('512k')).toBe(512 * 1024);
    expect(parseSize('10m')).toBe(10 * 1024 * 1024);
    expect(parseSize('1G')).toBe(1024 ** 3);
    expect(() => parseSize('ten')).toThrow(/not a size/);
    expect(() => parseSize('0')).toThrow(/at least 1 byte/);
  });
});
