import { sastRule } from '../meta.js';

export const rule = sastRule({
  id: 'path-traversal',
  title: 'File path built from user input',
  severity: 'high',
  owasp: ['A01:2021'],
  cwe: ['CWE-22'],
  sinkNoun: 'a file system path',
  docs: new URL('./README.md', import.meta.url),
});
