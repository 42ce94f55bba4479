import { sastRule } from '../meta.js';

export const rule = sastRule({
  id: 'log-injection',
  title: 'Log entry built from user input',
  severity: 'low',
  owasp: ['A09:2021'],
  cwe: ['CWE-117'],
  sinkNoun: 'a log entry',
  docs: new URL('./README.md', import.meta.url),
});
