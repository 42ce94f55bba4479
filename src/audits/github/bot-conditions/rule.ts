import type { Severity } from '../../../core/finding.js';
import type { Rule } from '../../../core/rule.js';
import type { GithubModel } from '../../../platforms/github/model.js';
import { contextPath, walkExpr, type Expr } from '../../../platforms/github/expressions/ast.js';
import { conditionSites, exprLocation, exprText, type ConditionSite } from '../../../platforms/github/conditions.js';
import { related } from '../util.js';

/** Triggers where an outsider can make a bot the actor of an event that runs privileged code. */
const RISKY: Record<string, Severity> = { pull_request_target: 'high', workflow_run: 'high', issue_comment: 'medium' };

/** Who caused the latest event, by login or by numeric id: an outsider can make either a bot's. */
const ACTOR_PATHS = new Set(['github.actor', 'github.triggering_actor', 'github.event.sender.login', 'github.actor_id', 'github.event.sender.id']);
const ID_PATHS = new Set(['github.actor_id', 'github.event.sender.id']);

/** Account ids of bots that workflows let through: dependabot[bot], dependabot-preview[bot], renovate[bot], and Renovate's app. */
const KNOWN_BOT_IDS = new Set(['49699333', '27856297', '29139614', '29110']);

export const rule: Rule<GithubModel> = {
  meta: {
    id: 'bot-conditions',
    title: 'Bot identified by the spoofable actor name',
    platform: 'github',
    severity: 'high',
    confidence: 'high',
    owasp: ['CICD-SEC-1'],
    cwe: ['CWE-290'],
    fixable: false,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    for (const site of conditionSites(model)) {
      if (site.condition.kind !== 'expression') continue; // interpolated text is unsound-condition's finding
      const trigger = riskiestTrigger(site);
      if (!trigger) continue;
      for (const hit of actorBotChecks(site.condition.expr)) {
        const what = exprText(site, hit.node).replace(/\s+/g, ' ');
        const wf = site.workflow;
        const trig = wf?.triggers.find((t) => t.name === trigger);
        report({
          message: `${site.label} runs when ${what}, but ${hit.actor} is whoever caused the latest event, which an outsider can arrange for a bot's pull request (for example by re-running it or pushing to the branch a bot updates); check ${authorField(trigger)} instead`,
          location: exprLocation(site, hit.node),
          related: wf && trig ? [related(wf.source, trig.node, `"${trigger}" runs this with the repository's token and secrets`)] : [],
          severity: RISKY[trigger]!,
          confidence: 'high',
          route: `${site.route}:${what}`,
        });
      }
    }
  },
};

function riskiestTrigger(site: ConditionSite): string | undefined {
  let best: string | undefined;
  for (const t of Object.keys(RISKY)) {
    if (!site.triggers.has(t)) continue;
    if (!best || (RISKY[t] === 'high' && RISKY[best] !== 'high')) best = t;
  }
  return best;
}

function authorField(trigger: string): string {
  if (trigger === 'issue_comment') return 'github.event.issue.user.login (the pull request author)';
  if (trigger === 'workflow_run') return "the pull request author's login (github.event.pull_request.user.login) in the triggering workflow";
  return "github.event.pull_request.user.login == 'dependabot[bot]'";
}

interface Hit {
  node: Expr;
  actor: string;
}

/**
 * Comparisons that grant access when the actor looks like a bot. Polarity is tracked: `!=` and
 * `!(...)` deny rather than grant, and a check joined by `&&` to a sound one (the pull request
 * author, or the head repository being this repository) is already safe.
 */
export function actorBotChecks(e: Expr): Hit[] {
  const out: Hit[] = [];
  const visit = (n: Expr, positive: boolean, guarded: boolean): void => {
    switch (n.type) {
      case 'logical':
        if (n.op === '&&' && positive) {
          visit(n.left, positive, guarded || hasSoundCheck(n.right));
          visit(n.right, positive, guarded || hasSoundCheck(n.left));
        } else if (n.op === '||' && positive) {
          // `fork || actor == bot`: outsiders already pass the fork arm, so a spoofed bot gains them nothing.
          visit(n.left, positive, guarded || admitsForks(n.right));
          visit(n.right, positive, guarded || admitsForks(n.left));
        } else if (n.op === '||' && !positive) {
          // !(a || b) is !a && !b
          visit(n.left, positive, guarded);
          visit(n.right, positive, guarded);
        } else {
          visit(n.left, positive, guarded);
          visit(n.right, positive, guarded);
        }
        return;
      case 'unary':
        visit(n.operand, !positive, false);
        return;
      case 'binary': {
        const equal = (n.op === '==' && positive) || (n.op === '!=' && !positive);
        if (!equal || guarded) return;
        const actor = actorOf(n.left) ?? actorOf(n.right);
        const other = actorOf(n.left) ? n.right : n.left;
        if (actor && other.type === 'literal' && (ID_PATHS.has(actor) ? KNOWN_BOT_IDS.has(String(other.value).trim()) : typeof other.value === 'string' && /\[bot\]$/i.test(other.value.trim()))) {
          out.push({ node: n, actor });
        }
        return;
      }
      case 'call': {
        if (!positive || guarded || !['contains', 'startswith', 'endswith'].includes(n.callee) || n.args.length !== 2) return;
        const [a, b] = n.args as [Expr, Expr];
        const actor = actorOf(a) ?? actorOf(b);
        const other = actorOf(a) ? b : a;
        if (actor && mentionsBot(other)) out.push({ node: n, actor });
        return;
      }
      default:
        return;
    }
  };
  visit(e, true, false);
  return out;
}

function actorOf(e: Expr): string | undefined {
  const p = contextPath(e)?.join('.');
  return p && ACTOR_PATHS.has(p) ? p : undefined;
}

/** A string literal, or `fromJSON('[...]')` of one, that names a bot. */
function mentionsBot(e: Expr): boolean {
  if (e.type === 'literal' && typeof e.value === 'string') return /bot/i.test(e.value);
  if (e.type === 'call' && e.callee === 'fromjson' && e.args[0]?.type === 'literal') return /\[bot\]/i.test(String(e.args[0].value));
  return false;
}

/**
 * A check that admits runs for pull requests from forks (the head repository is not this one, or
 * is a fork): an outsider satisfies it without any bot.
 */
function admitsForks(e: Expr): boolean {
  if (e.type !== 'binary') return false;
  const paths = [contextPath(e.left)?.join('.') ?? '', contextPath(e.right)?.join('.') ?? ''];
  const headRepo = (p: string): boolean => /^github\.event\.(?:workflow_run\.head_repository|pull_request\.head\.repo)\.full_name$/.test(p);
  if (e.op === '!=' && paths.some(headRepo) && paths.includes('github.repository')) return true;
  const forkFlag = (p: string): boolean => /^github\.event\.(?:workflow_run\.head_repository|pull_request\.head\.repo)\.fork$/.test(p);
  const other = forkFlag(paths[0]!) ? e.right : forkFlag(paths[1]!) ? e.left : undefined;
  return e.op === '==' && other?.type === 'literal' && other.value === true;
}

/** A check that an outsider cannot satisfy by making a bot the actor. */
function hasSoundCheck(e: Expr): boolean {
  let found = false;
  walkExpr(e, (n) => {
    if (found || n.type !== 'binary' || n.op !== '==') return;
    for (const side of [n.left, n.right]) {
      const p = contextPath(side)?.join('.') ?? '';
      if (/^github\.event\.(?:pull_request|issue)\.user\.login$/.test(p) || p === 'github.event.pull_request.head.repo.full_name') found = true;
    }
  });
  return found;
}
