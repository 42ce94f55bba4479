import { sastRule } from '../meta.js';

export const rule = sastRule({
  id: 'xxe',
  title: 'XML external entities expanded in user input',
  severity: 'high',
  owasp: ['A05:2021'],
  cwe: ['CWE-611'],
  sinkNoun: 'an XML parser with external entities enabled',
  docs: new URL('./README.md', import.meta.url),
});
