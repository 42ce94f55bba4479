import { sastRule } from '../meta.js';

export const rule = sastRule({
  id: 'regex-injection',
  title: 'Regular expression built from user input',
  severity: 'medium',
  owasp: ['A03:2021'],
  cwe: ['CWE-1333', 'CWE-730'],
  sinkNoun: 'a regular expression',
  docs: new URL('./README.md', import.meta.url),
});
