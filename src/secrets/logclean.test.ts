import { describe, expect, it } from 'vitest';
import { cleanLogLine } from './logclean.js';

describe('cleanLogLine', () => {
  it('strips GitHub Actions timestamps', () => {
    expect(cleanLogLine('2024-01-01T00:00:00.0000000Z Run actions/checkout@v4')).toBe('Run actions/checkout@v4');
    expect(cleanLogLine('\uFEFF2024-05-06T07:08:09.1234567Z ##[group]Run x')).toBe('##[group]Run x');
  });

  it('strips ANSI colours, including ones inside a token', () => {
    expect(cleanLogLine('\x1b[32mtoken=\x1b[0mabc\x1b[1;31mdef\x1b[0m')).toBe('token=abcdef');
    expect(cleanLogLine('\x1b]8;;https://x\x07link\x1b]8;;\x07')).toBe('link');
  });

  it('strips GitLab section markers', () => {
    expect(cleanLogLine('\x1b[0Ksection_start:1700000000:step_script[collapsed=true]\r\x1b[0K\x1b[36;1mExecuting "step_script"\x1b[0;m')).toBe('Executing "step_script"');
    expect(cleanLogLine('section_end:1700000001:step_script\r\x1b[0K')).toBe('');
  });
});
