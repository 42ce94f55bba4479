import { sastRule } from '../meta.js';

export const rule = sastRule({
  id: 'ssrf',
  title: 'Server-side request forgery: request URL from user input',
  severity: 'high',
  owasp: ['A10:2021'],
  cwe: ['CWE-918'],
  sinkNoun: 'the URL of a server-side request',
  docs: new URL('./README.md', import.meta.url),
});
