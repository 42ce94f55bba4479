import type { Confidence, Fix, RelatedLocation, Severity } from '../../../core/finding.js';
import type { Rule } from '../../../core/rule.js';
import type { Node } from 'yaml';
import type { Location } from '../../../core/finding.js';
import type { GithubModel, Step } from '../../../platforms/github/model.js';
import type { SourceText } from '../../../yaml/load.js';
import { actionName, actionVersion, versionAtLeast, withEntry, withText } from '../../../platforms/github/action-inputs.js';
import { checkoutPath, isCheckoutStep, persistsCredentials } from '../../../platforms/github/checkout.js';
import { commandWords, shellCommands } from '../../../shell/words.js';
import { isWithin, normalizeWorkspacePath, OUTSIDE } from '../../../platforms/github/workspace.js';
import { loc, stepKey } from '../util.js';
import { addEntries, findPair, replaceValue } from '../../../fix/yaml-edit.js';
import { isMap, isScalar, type Pair, type Scalar } from 'yaml';

/** Actions that push with the persisted credentials: persisting them is the point. */
const PUSHING_ACTIONS = new Set([
  'stefanzweifel/git-auto-commit-action',
  'endbug/add-and-commit',
  'ad-m/github-push-action',
  'peter-evans/create-pull-request',
  'github-actions-x/commit',
  'actions-js/push',
  'jamesives/github-pages-deploy-action',
  'peaceiris/actions-gh-pages',
  'changesets/action',
  'cycjimmy/semantic-release-action',
]);

interface Upload {
  step: Step;
  /** The path line that takes in the checkout's .git (or the runner temp dir, for v6+). */
  pattern: string;
  node: Node | null;
  /** Hidden files (.git) are included: true, false (excluded by default), undefined (unknown version). */
  hidden: boolean | undefined;
}

export const rule: Rule<GithubModel> = {
  meta: {
    id: 'artipacked',
    title: 'Checkout credentials persisted where artifacts can pick them up',
    platform: 'github',
    severity: 'high',
    confidence: 'high',
    owasp: ['CICD-SEC-6'],
    cwe: ['CWE-522', 'CWE-200'],
    fixable: true,
    online: false,
    docs: new URL('./README.md', import.meta.url),
  },
  check(model, report) {
    for (const wf of model.workflows) {
      for (const job of wf.jobs) checkSteps(wf.source, job.steps, `jobs.${job.id}`, report);
    }
    for (const action of model.actions) checkSteps(action.source, action.steps, 'runs', report);
  },
};

type Report = Parameters<Rule<GithubModel>['check']>[1];

/**
 * upload-artifact stopped including hidden files (so `.git/`) by default in v4.4.0, and the v3
 * tag was updated the same way; pinned older releases and `include-hidden-files: true` include them.
 */
function includesHidden(step: Step, source: SourceText): boolean | undefined {
  const flag = withText(step, 'include-hidden-files')?.trim();
  if (flag !== undefined && /^true$/i.test(flag)) return true;
  if (flag !== undefined && /^false$/i.test(flag)) return false;
  const v = actionVersion(step, source);
  if (!v) return undefined;
  if (v.major >= 5 || (v.major === 4 && versionAtLeast(v, 4, 4, 0))) return false;
  if (v.major === 3 && v.floating) return false;
  if (v.major === 3) return undefined; // 3.x patch releases: not certain which ones carry the change
  return true;
}

/** Path lines of an upload that take in `dir` (a checkout path), its `.git`, or the runner temp dir. */
function coveringPattern(pathText: string, dir: string, credsInTemp: boolean): string | undefined {
  const lines = pathText.split('\n').map((l) => l.trim()).filter(Boolean);
  if (lines.some((l) => /^!(\*\*\/)?\.git(\/|\/\*\*)?$/.test(l) || /^!\*\*\/\.git\/\*\*$/.test(l))) return undefined;
  for (const line of lines) {
    if (line.startsWith('!')) continue;
    if (credsInTemp) {
      if (/runner\.temp|RUNNER_TEMP/.test(line)) return line;
      continue;
    }
    if (/(^|\/)\.git(\/|$)/.test(line)) return line;
    const base = line.replace(/(\/\*\*)?(\/\*)?\/?$/, '').replace(/^\*\*$/, '.').replace(/^\*$/, '.');
    if (/[*?[]/.test(base)) continue;
    const p = normalizeWorkspacePath(base);
    if (p !== OUTSIDE && isWithin(dir, p)) return line;
  }
  return undefined;
}

/** A later step pushes or otherwise uses git credentials: persisting them is intended. */
function pushesLater(steps: Step[], from: number): boolean {
  for (const s of steps.slice(from + 1)) {
    const name = actionName(s);
    if (name && PUSHING_ACTIONS.has(name)) return true;
    if (s.run && typeof s.run.value === 'string') {
      for (const c of shellCommands(s.run.value)) {
        const w = commandWords(c.words);
        const gitSub = w[0] === 'git' ? w.slice(1).find((x, k, arr) => !x.startsWith('-') && arr[k - 1] !== '-C' && arr[k - 1] !== '-c') : undefined;
        if (gitSub && ['push', 'fetch', 'pull', 'submodule', 'ls-remote', 'clone'].includes(gitSub)) return true;
        if (['npm', 'yarn', 'pnpm', 'npx'].includes(w[0] ?? '') && w.some((x) => /^(version|release|publish|semantic-release|changeset|lerna)$/.test(x))) return true;
      }
    }
  }
  return false;
}

function checkSteps(source: SourceText, steps: Step[], prefix: string, report: Report): void {
  for (const co of steps) {
    if (!isCheckoutStep(co)) continue;
    const persist = persistsCredentials(co);
    if (persist === 'no') continue;
    const version = actionVersion(co, source);
    const credsInTemp = version !== undefined && version.major >= 6;
    const dir = checkoutPath(co);
    const uploads: Upload[] = [];
    for (const s of steps.slice(co.index + 1)) {
      if (actionName(s) !== 'actions/upload-artifact') continue;
      const pathEntry = withEntry(s, 'path');
      if (!pathEntry?.text) continue;
      const pattern = coveringPattern(pathEntry.text, dir, credsInTemp);
      if (pattern) uploads.push({ step: s, pattern, node: pathEntry.value, hidden: /(^|\/)\.git(\/|$)/.test(pattern) ? true : includesHidden(s, source) });
    }
    const where = persistLocation(source, co);
    const route = `${prefix}.steps[${stepKey(co)}]`;
    const up = uploads.find((u) => u.hidden === true) ?? uploads.find((u) => u.hidden === undefined) ?? uploads[0];
    if (up && up.hidden !== false) {
      const severity: Severity = 'high';
      const confidence: Confidence = up.hidden === true && version !== undefined ? 'high' : 'medium';
      const rel: RelatedLocation[] = [{ ...loc(source, up.node), message: `"${up.pattern}" takes ${credsInTemp ? 'the runner temp dir holding the credentials' : '.git/config'} into artifact step "${up.step.label}"${up.hidden === undefined ? ' (if this upload-artifact version includes hidden files)' : ''}` }];
      report({
        message: `step "${co.label}" leaves the job's token in ${credsInTemp ? 'the runner temp dir' : '.git/config'} and step "${up.step.label}" uploads it as an artifact; set persist-credentials: false`,
        location: where,
        related: rel,
        severity,
        confidence,
        route: `${route}:upload`,
        fix: persistFix(source, co, persist === 'default' && !pushesLater(steps, co.index)),
      });
      continue;
    }
    // No upload takes the token: hardening only, unless the job evidently needs the credentials.
    if (persist !== 'default' || pushesLater(steps, co.index)) continue;
    const excluded = up ? ` (upload step "${up.step.label}" excludes hidden files)` : '';
    report({
      message: `step "${co.label}" persists the job's token for later steps without needing it${excluded}; set persist-credentials: false`,
      location: where,
      related: up ? [{ ...loc(source, up.node), message: 'uploads the checkout, but this upload-artifact version skips .git' }] : [],
      severity: 'low',
      confidence: 'low',
      route: `${route}:persist`,
      fix: persistFix(source, co, true),
    });
  }
}

function persistLocation(source: SourceText, step: Step): Location {
  const e = withEntry(step, 'persist-credentials');
  return loc(source, e?.value ?? step.uses?.node ?? step.node);
}


/**
 * `persist-credentials: false` on the checkout step, under its `with:` (created when missing).
 * Safe unless the job may need the credentials later (an explicit `true`, or a step that pushes).
 * An existing entry is edited through its nodes: a scalar value is replaced over its own range; an
 * empty value (`persist-credentials:` or `persist-credentials: # keep`) gets ` false` right after
 * the `:`, keeping the comment; any other value (a sequence, a block scalar) is replaced from the
 * `:` to the end of the value. The fix engine then checks that only this key changed.
 */
function persistFix(source: SourceText, co: Step, safe: boolean): Fix | undefined {
  const description = 'set persist-credentials: false on the checkout step';
  const safety = safe ? 'safe' : 'unsafe';
  const withPair = findPair(co.node, 'with');
  if (withPair && isMap(withPair.value)) {
    const withMap = withPair.value;
    const pair = withMap.items.find((p) => isScalar(p.key) && String(p.key.value).toLowerCase() === 'persist-credentials') as Pair<Scalar, Node | null> | undefined;
    const mapAt = withMap.range?.[0];
    if (pair && mapAt !== undefined) {
      const edit = replaceValue(source, pair, 'false');
      if (!edit) return undefined;
      return { description, safety, edits: [edit], intents: [{ at: mapAt, key: String(pair.key.value), value: false }] };
    }
  }
  if (withPair && !isMap(withPair.value)) return undefined; // `with:` empty or not a mapping: not ours to reshape
  const edit = addEntries(source, co.node, 'with', [{ key: 'persist-credentials', value: 'false' }]);
  const stepAt = co.node.range?.[0];
  if (!edit || stepAt === undefined) return undefined;
  const intents = withPair && isMap(withPair.value)
    ? [{ at: withPair.value.range![0], key: 'persist-credentials', value: false }]
    : [{ at: stepAt, key: 'with', value: { 'persist-credentials': false } }];
  return { description, safety, edits: [edit], intents };
}
