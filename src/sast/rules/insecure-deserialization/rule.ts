import { sastRule } from '../meta.js';

export const rule = sastRule({
  id: 'insecure-deserialization',
  title: 'Unsafe deserialisation of user input',
  severity: 'critical',
  owasp: ['A08:2021'],
  cwe: ['CWE-502'],
  sinkNoun: 'an unsafe deserialiser',
  docs: new URL('./README.md', import.meta.url),
});
