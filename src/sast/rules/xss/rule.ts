import { sastRule } from '../meta.js';

export const rule = sastRule({
  id: 'xss',
  title: 'Cross-site scripting: user input rendered as HTML',
  severity: 'high',
  owasp: ['A03:2021'],
  cwe: ['CWE-79'],
  sinkNoun: 'HTML output',
  docs: new URL('./README.md', import.meta.url),
});
