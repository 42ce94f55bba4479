import { isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import type { Finding } from '../../core/finding.js';
import { parseExpression } from '../../platforms/github/expressions/parser.js';
import { ExpressionError } from '../../platforms/github/expressions/ast.js';
import type { GithubModel, Job, Step } from '../../platforms/github/model.js';
import { locationOf, type SourceText } from '../../yaml/load.js';
import { syntaxErrorFinding } from '../core/syntax-error/rule.js';
import { templatesIn } from './util.js';

/**
 * Invalid `${{ }}` expressions anywhere in workflows and actions, and invalid bare `if:`
 * conditions (which are expressions even without `${{ }}`). GitHub rejects these at run time;
 * we report them so a broken or smuggled expression is not silently skipped by other rules.
 */
export function expressionSyntaxFindings(model: GithubModel): Finding[] {
  const out: Finding[] = [];
  const visit = (source: SourceText, root: Node | null): void => {
    const stack: unknown[] = [root];
    while (stack.length > 0) {
      const n = stack.pop();
      if (isScalar(n)) {
        if (typeof n.value === 'string' && n.value.includes('${{')) {
          for (const t of templatesIn(source, n)) {
            if (t.error) out.push(syntaxErrorFinding(`invalid expression: ${t.error.message}`, t.location));
          }
        }
      } else if (isMap(n) || isSeq(n)) {
        for (const item of n.items) stack.push(item);
      } else if (isPair(n)) {
        stack.push(n.key, n.value);
      }
    }
  };
  const checkIf = (source: SourceText, holder: Job | Step): void => {
    const cond = holder.if;
    if (!cond || typeof cond.value !== 'string' || cond.value.includes('${{') || !cond.range) return;
    try {
      parseExpression(cond.value);
    } catch (e) {
      if (!(e instanceof ExpressionError)) throw e;
      out.push(syntaxErrorFinding(`invalid if: condition: ${e.message}`, locationOf(source, cond.range[0], cond.range[1])));
    }
  };
  for (const wf of model.workflows) {
    visit(wf.source, wf.root);
    for (const job of wf.jobs) {
      checkIf(wf.source, job);
      for (const step of job.steps) checkIf(wf.source, step);
    }
  }
  for (const action of model.actions) {
    visit(action.source, action.root);
    for (const step of action.steps) checkIf(action.source, step);
  }
  return out;
}
