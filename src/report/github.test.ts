import { describe, it, expect } from 'vitest';
import type { Finding } from '../core/finding.js';
import { escapeData, escapeProperty, renderGithub } from './github.js';

const base: Finding = {
  ruleId: 'template-injection',
  severity: 'high',
  confidence: 'high',
  message: 'expanded into a shell script',
  location: { file: '.github/workflows/ci.yml', startLine: 5, startColumn: 20, endLine: 5, endColumn: 52 },
  related: [],
  owasp: [],
  cwe: [],
  fingerprint: 'x',
};

describe('renderGithub', () => {
  it('maps severities to error, warning and notice', () => {
    const out = renderGithub(['critical', 'high', 'medium', 'low', 'info'].map((severity) => ({ ...base, severity }) as Finding));
    expect(out).toBe(
      [
        '::error file=.github/workflows/ci.yml,line=5,col=20,endLine=5,endColumn=52,title=template-injection::expanded into a shell script',
        '::error file=.github/workflows/ci.yml,line=5,col=20,endLine=5,endColumn=52,title=template-injection::expanded into a shell script',
        '::warning file=.github/workflows/ci.yml,line=5,col=20,endLine=5,endColumn=52,title=template-injection::expanded into a shell script',
        '::notice file=.github/workflows/ci.yml,line=5,col=20,endLine=5,endColumn=52,title=template-injection::expanded into a shell script',
        '::notice file=.github/workflows/ci.yml,line=5,col=20,endLine=5,endColumn=52,title=template-injection::expanded into a shell script',
        '',
      ].join('\n'),
    );
  });

  it('escapes data and properties so a hostile value cannot inject a command', () => {
    const evil: Finding = {
      ...base,
      severity: 'medium',
      message: '100% bad\r\n::set-env name=X::1\x1b[2J',
      location: { ...base.location, file: 'dir\\a,b:c%\n.yml' },
    };
    expect(renderGithub([evil])).toBe(
      '::warning file=dir/a%2Cb%3Ac%25%0A.yml,line=5,col=20,endLine=5,endColumn=52,title=template-injection::100%25 bad%0D%0A::set-env name=X::1\\x1b[2J\n',
    );
  });

  it('follows the @actions/core escaping rules', () => {
    expect(escapeData('a%b\rc\nd:e,f')).toBe('a%25b%0Dc%0Ad:e,f');
    expect(escapeProperty('a%b\rc\nd:e,f')).toBe('a%25b%0Dc%0Ad%3Ae%2Cf');
  });

  it('renders nothing for no findings', () => {
    expect(renderGithub([])).toBe('');
  });
});
