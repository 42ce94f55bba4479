import type { Fix } from '../../../core/finding.js';
import type { Rule } from '../../../core/rule.js';
import type { GithubModel } from '../../../platforms/github/model.js';
import { isPrivileged } from '../../../platforms/github/contexts.js';
import { truthiness, UNKNOWN } from '../../../platforms/github/expressions/evaluate.js';
import { conditionLocation, conditionSites, type ConditionSite } from '../../../platforms/github/conditions.js';
import { parseExpression } from '../../../platforms/github/expressions/parser.js';
import { eolOf, yamlScalar } from '../../../fix/yaml-edit.js';

export const rule: Rule<GithubModel> = {
  meta: {
    id: 'unsound-condition',
    title: 'if: condition that is always true or always false',
    platform: 'github',
    severity: 'high',
    confidence: 'high',
    owasp: ['CICD-SEC-1'],
    cwe: ['CWE-571', 'CWE-570'],
    fixable: true,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    for (const site of conditionSites(model)) {
      const c = site.condition;
      const location = conditionLocation(site);
      if (c.kind === 'interpolated') {
        const literal = literalText(c.text, c.templates);
        const why = reason(site, literal);
        report({
          message: `${site.label} has an if: that mixes \${{ }} with ${why}, so GitHub evaluates it as a string and it is ${literal === '' ? 'true whenever any part is non-empty' : 'always true'}; write the whole condition as one expression without surrounding text`,
          location,
          // Unknown callers (workflow_call, composite actions) may be privileged.
          severity: isPrivileged(site.triggers) || site.triggers.has('workflow_call') ? 'high' : 'medium',
          confidence: literal === '' ? 'medium' : 'high',
          route: `${site.route}:interpolated`,
          fix: chompFix(site, literal) ?? oneExpressionFix(site, literal),
        });
      } else if (c.kind === 'expression' && c.expr.type !== 'literal') {
        const always = truthiness(c.expr);
        if (always === UNKNOWN) continue;
        report({
          message: always
            ? `${site.label} has an if: that is always true, so it does not restrict when the ${site.step ? 'step' : 'job'} runs; fix the comparison or remove the condition`
            : `${site.label} has an if: that is always false, so the ${site.step ? 'step' : 'job'} never runs; fix the comparison or remove the ${site.step ? 'step' : 'job'}`,
          location,
          severity: 'low',
          confidence: 'high',
          route: `${site.route}:constant-${always}`,
        });
      }
    }
  },
};

/** The text outside the templates, which becomes the literal part of GitHub's format(). */
function literalText(text: string, templates: Array<{ start: number; end: number }>): string {
  let out = '';
  let at = 0;
  for (const t of templates) {
    out += text.slice(at, t.start);
    at = t.end;
  }
  return out + text.slice(at);
}

function reason(site: ConditionSite, literal: string): string {
  if (literal === '') return 'more ${{ }}';
  if (literal.trim() === '') {
    const block = site.scalar.type === 'BLOCK_LITERAL' || site.scalar.type === 'BLOCK_FOLDED';
    return block && /\n$/.test(site.text.value) && literal.replace(/\n+$/, '') === '' ? 'the newline a YAML block scalar keeps at its end' : 'whitespace around it';
  }
  return 'other text';
}

/** `if: |` holding one template and its trailing newline: strip the newline with `|-` (same meaning otherwise). */
function chompFix(site: ConditionSite, literal: string): Fix | undefined {
  const c = site.condition;
  if (c.kind !== 'interpolated' || c.templates.length !== 1 || c.templates[0]!.start !== 0 || literal.replace(/\n+$/, '') !== '') return undefined;
  if ((site.scalar.type !== 'BLOCK_LITERAL' && site.scalar.type !== 'BLOCK_FOLDED') || !site.scalar.range) return undefined;
  const start = site.scalar.range[0];
  const header = /^[|>][0-9+-]*/.exec(site.source.text.slice(start))?.[0];
  if (!header) return undefined;
  return {
    description: 'strip the trailing newline so the value is exactly one expression',
    safety: 'safe',
    edits: [{ file: site.source.path, start, end: start + header.length, replacement: `${header.replace(/[+-]/g, '')}-` }],
    intents: [{ at: start, value: String(site.scalar.value).replace(/\n+$/, '') }],
  };
}

/**
 * Any other interpolated `if:`: write it as the one expression it was meant to be, each
 * `${{ e }}` becoming `(e)` with the text between kept (`${{ a }} && ${{ b }}` →
 * `${{ (a) && (b) }}`). Offered only when the result parses. Safe when only whitespace
 * surrounded a single template (the meaning is evident); unsafe otherwise, because the job or
 * step starts obeying a condition that has never been evaluated before.
 */
function oneExpressionFix(site: ConditionSite, literal: string): Fix | undefined {
  const c = site.condition;
  const range = site.scalar.range;
  if (c.kind !== 'interpolated' || !range || c.templates.some((t) => !t.ast)) return undefined;
  const single = c.templates.length === 1 && literal.trim() === '';
  let expr = '';
  let at = 0;
  for (const t of c.templates) {
    expr += c.text.slice(at, t.start) + (single ? t.inner.trim() : `(${t.inner.trim()})`);
    at = t.end;
  }
  expr = (expr + c.text.slice(at)).replace(/\s*\n\s*/g, ' ').trim();
  try {
    parseExpression(expr);
  } catch {
    return undefined;
  }
  const text = site.source.text;
  const raw = text.slice(range[0], range[1]);
  const block = site.scalar.type === 'BLOCK_LITERAL' || site.scalar.type === 'BLOCK_FOLDED';
  const replacement = yamlScalar(`\${{ ${expr} }}`) + (block && raw.endsWith('\n') ? eolOf(text) : '');
  return {
    description: single ? 'drop the whitespace around the expression' : 'write the condition as one expression',
    safety: single ? 'safe' : 'unsafe',
    edits: [{ file: site.source.path, start: range[0], end: range[1], replacement }],
    intents: [{ at: range[0], value: `\${{ ${expr} }}` }],
  };
}
