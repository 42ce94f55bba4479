import { sastRule } from '../meta.js';

export const rule = sastRule({
  id: 'prototype-pollution',
  title: 'Prototype pollution through attacker-chosen keys',
  severity: 'high',
  owasp: ['A08:2021'],
  cwe: ['CWE-1321'],
  sinkNoun: 'an object key path',
  docs: new URL('./README.md', import.meta.url),
});
