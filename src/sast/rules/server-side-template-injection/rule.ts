import { sastRule } from '../meta.js';

export const rule = sastRule({
  id: 'server-side-template-injection',
  title: 'Template compiled from user input',
  severity: 'critical',
  owasp: ['A03:2021'],
  cwe: ['CWE-1336'],
  sinkNoun: 'a template compiled on the server',
  docs: new URL('./README.md', import.meta.url),
});
