import { sastRule } from '../meta.js';

export const rule = sastRule({
  id: 'command-injection',
  title: 'Shell command built from user input',
  severity: 'critical',
  owasp: ['A03:2021'],
  cwe: ['CWE-78'],
  sinkNoun: 'a shell command',
  docs: new URL('./README.md', import.meta.url),
});
