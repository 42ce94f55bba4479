/** Every SAST rule, in documentation order. */
import type { SastRule } from './meta.js';
import { rule as sqlInjection } from './sql-injection/rule.js';
import { rule as nosqlInjection } from './nosql-injection/rule.js';
import { rule as xss } from './xss/rule.js';
import { rule as commandInjection } from './command-injection/rule.js';
import { rule as codeInjection } from './code-injection/rule.js';
import { rule as serverSideTemplateInjection } from './server-side-template-injection/rule.js';
import { rule as pathTraversal } from './path-traversal/rule.js';
import { rule as ssrf } from './ssrf/rule.js';
import { rule as openRedirect } from './open-redirect/rule.js';
import { rule as prototypePollution } from './prototype-pollution/rule.js';
import { rule as xxe } from './xxe/rule.js';
import { rule as insecureDeserialization } from './insecure-deserialization/rule.js';
import { rule as regexInjection } from './regex-injection/rule.js';
import { rule as logInjection } from './log-injection/rule.js';
import { rule as hardcodedSecret } from './hardcoded-secret/rule.js';

export const SAST_RULES: readonly SastRule[] = [
  sqlInjection,
  nosqlInjection,
  xss,
  commandInjection,
  codeInjection,
  serverSideTemplateInjection,
  pathTraversal,
  ssrf,
  openRedirect,
  prototypePollution,
  xxe,
  insecureDeserialization,
  regexInjection,
  logInjection,
  hardcodedSecret,
];

export function sastRuleById(id: string): SastRule | undefined {
  return SAST_RULES.find((r) => r.meta.id === id);
}
