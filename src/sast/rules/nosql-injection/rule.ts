import { sastRule } from '../meta.js';

export const rule = sastRule({
  id: 'nosql-injection',
  title: 'NoSQL query built from user input',
  severity: 'high',
  owasp: ['A03:2021'],
  cwe: ['CWE-943'],
  sinkNoun: 'a MongoDB query',
  docs: new URL('./README.md', import.meta.url),
});
