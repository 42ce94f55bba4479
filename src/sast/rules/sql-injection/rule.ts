import { sastRule } from '../meta.js';

export const rule = sastRule({
  id: 'sql-injection',
  title: 'SQL query built from user input',
  severity: 'high',
  owasp: ['A03:2021'],
  cwe: ['CWE-89'],
  sinkNoun: 'a SQL query',
  docs: new URL('./README.md', import.meta.url),
});
