import { sastRule } from '../meta.js';

export const rule = sastRule({
  id: 'hardcoded-secret',
  title: 'Secret written in the source code',
  severity: 'high',
  owasp: ['A07:2021'],
  cwe: ['CWE-798'],
  sinkNoun: 'a credential',
  docs: new URL('./README.md', import.meta.url),
});
