import { sastRule } from '../meta.js';

export const rule = sastRule({
  id: 'open-redirect',
  title: 'Redirect to a URL from user input',
  severity: 'medium',
  owasp: ['A01:2021'],
  cwe: ['CWE-601'],
  sinkNoun: 'a redirect target',
  docs: new URL('./README.md', import.meta.url),
});
