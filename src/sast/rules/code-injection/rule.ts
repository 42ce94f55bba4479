import { sastRule } from '../meta.js';

export const rule = sastRule({
  id: 'code-injection',
  title: 'Code evaluated from user input',
  severity: 'critical',
  owasp: ['A03:2021'],
  cwe: ['CWE-94'],
  sinkNoun: 'code evaluation',
  docs: new URL('./README.md', import.meta.url),
});
