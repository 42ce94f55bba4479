import type { Step } from './model.js';
import { actionName, withText } from './action-inputs.js';
import { commandWords, shellCommands } from '../../shell/words.js';
import { executionOf, inlineShell, optionValue, type WorkspaceExecution } from './workspace-execution.js';
import { normalizeWorkspacePath, OUTSIDE } from './workspace.js';
import { PULL_REF_RE, type RefScope, type UntrustedRef, untrustedRefIn } from './untrusted-refs.js';

/* ------------------------------------------------------------------------------------------ */
/* A run: script as a sequence of events in the workspace                                       */
/* ------------------------------------------------------------------------------------------ */

export type ScriptEvent =
  | { kind: 'exec'; exec: WorkspaceExecution; cwd: string }
  | { kind: 'checkout-untrusted'; path: string; what: string; offset: number; confidence: 'high' | 'medium' };

/** Shell variables (`$HEAD`, `$GITHUB_HEAD_REF`) that hold a PR head reference. */
function shellVarRef(word: string, scope: RefScope): UntrustedRef | undefined {
  for (const m of word.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g)) {
    const name = m[1]!;
    if (name === 'GITHUB_HEAD_REF' && scope.triggers.has('pull_request_target')) return { what: 'GITHUB_HEAD_REF', confidence: 'high' };
    for (let level = 0; level < scope.env.length; level++) {
      const entry = scope.env[level]!.find((e) => e.key === name);
      if (entry) {
        const hit = untrustedRefIn(entry.text, { ...scope, env: scope.env.slice(level + 1) });
        if (hit) return hit;
        break;
      }
    }
  }
  return undefined;
}

function wordRef(word: string, scope: RefScope): UntrustedRef | undefined {
  return untrustedRefIn(word, scope) ?? shellVarRef(word, scope);
}

/**
 * Reads a run: script in order: `cd` moves the current directory; `gh pr checkout`, `git fetch
 * .. pull/N/head` followed by a checkout, `git checkout <PR head>` and `git clone <fork>` put PR
 * code in a directory; commands from executionOf() run workspace code.
 */
export function scriptEvents(script: string, startDir: string, scope: RefScope, depth = 0): ScriptEvent[] {
  const events: ScriptEvent[] = [];
  let cwd = startDir;
  let pendingFetch: UntrustedRef | undefined;
  for (const cmd of shellCommands(script)) {
    const w = commandWords(cmd.words);
    if (w.length === 0) continue;
    const [tool, sub] = [w[0]!, w[1]];
    const inline = inlineShell(cmd);
    if (inline && depth < 3) {
      for (const e of scriptEvents(inline.script, cwd, scope, depth + 1)) {
        events.push(e.kind === 'exec' ? { ...e, exec: { ...e.exec, offset: cmd.start } } : { ...e, offset: cmd.start });
      }
      continue;
    }
    if (tool === 'cd' || tool === 'pushd') {
      const target = w.slice(1).find((a) => !a.startsWith('-'));
      if (target !== undefined) cwd = normalizeWorkspacePath(target, cwd);
      continue;
    }
    if ((tool === 'gh' || tool === 'hub') && sub === 'pr' && w[2] === 'checkout') {
      events.push({ kind: 'checkout-untrusted', path: cwd, what: `${tool} pr checkout`, offset: cmd.start, confidence: 'high' });
      continue;
    }
    if (tool === 'git') {
      const gitArgs = w.slice(1).filter((a, k, arr) => !(arr[k - 1] === '-C' || arr[k - 1] === '-c'));
      const dirOpt = optionValue(w.slice(1), ['-C']);
      const dir = dirOpt !== undefined ? normalizeWorkspacePath(dirOpt, cwd) : cwd;
      const gsub = gitArgs.find((a) => !a.startsWith('-'));
      const rest = gitArgs.slice(gitArgs.indexOf(gsub!) + 1);
      const refs = rest.map((a) => (PULL_REF_RE.test(` ${a}`) || /^(refs\/)?pull\//.test(a) ? ({ what: 'refs/pull/<number>', confidence: 'high' } as UntrustedRef) : wordRef(a, scope)));
      const hit = refs.find((r) => r !== undefined);
      if (gsub === 'fetch') {
        if (hit) pendingFetch = hit;
      } else if (gsub === 'pull' && hit) {
        events.push({ kind: 'checkout-untrusted', path: dir, what: `git pull ${hit.what}`, offset: cmd.start, confidence: hit.confidence });
      } else if (gsub && ['checkout', 'switch', 'reset', 'merge', 'rebase', 'cherry-pick'].includes(gsub)) {
        const via = hit ?? (pendingFetch && rest.some((a) => !a.startsWith('-')) ? pendingFetch : undefined);
        if (via) events.push({ kind: 'checkout-untrusted', path: dir, what: `git ${gsub} ${via.what}`, offset: cmd.start, confidence: via.confidence });
      } else if (gsub === 'worktree' && rest[0] === 'add' && (hit || pendingFetch)) {
        const target = rest.slice(1).find((a) => !a.startsWith('-'));
        events.push({ kind: 'checkout-untrusted', path: normalizeWorkspacePath(target, dir), what: `git worktree add ${(hit ?? pendingFetch)!.what}`, offset: cmd.start, confidence: 'medium' });
      } else if (gsub === 'clone' && hit) {
        const positional = rest.filter((a, k) => !a.startsWith('-') && !['-b', '--branch', '--depth', '-o', '--origin'].includes(rest[k - 1] ?? ''));
        const target = positional[1] ?? (positional[0] ?? '').replace(/\.git$/, '').replace(/^.*[/:]/, '');
        const path = /\$|\{/.test(target) || target === '' ? dir : normalizeWorkspacePath(target, dir);
        events.push({ kind: 'checkout-untrusted', path, what: `git clone ${hit.what}`, offset: cmd.start, confidence: hit.confidence });
      }
      continue;
    }
    const exec = executionOf(cmd, cwd);
    if (exec) events.push({ kind: 'exec', exec, cwd });
  }
  return events;
}

/** Actions (owner/repo[/path]) that run code from the workspace they are pointed at. */
export function actionExecution(step: Step, cwd: string): WorkspaceExecution | undefined {
  if (step.uses?.kind === 'local') {
    if (step.uses.self) return undefined; // the running commit's own code, whatever was checked out
    const p = normalizeWorkspacePath(step.uses.path);
    return p === OUTSIDE ? undefined : { what: `uses: ${step.uses.raw}`, targets: [p] };
  }
  const name = actionName(step);
  if (!name) return undefined;
  const truthy = (k: string): boolean => {
    const t = withText(step, k)?.trim();
    return t !== undefined && t !== '' && !/^(false|no|0|null)$/i.test(t);
  };
  const dir = (k: string): string => normalizeWorkspacePath(withText(step, k), '');
  switch (name) {
    case 'docker/build-push-action':
    case 'docker/bake-action': {
      const ctx = withText(step, name === 'docker/bake-action' ? 'source' : 'context');
      if (ctx === undefined || /\{\{\s*defaultContext\s*\}\}/.test(ctx) || ctx.includes('://')) return undefined; // git context: the base commit
      return { what: name, targets: [normalizeWorkspacePath(ctx, '')] };
    }
    case 'gradle/gradle-build-action':
      return withText(step, 'arguments') ? { what: name, targets: [dir('build-root-directory')] } : undefined;
    case 'pre-commit/action':
    case 'bahmutov/npm-install':
    case 'cypress-io/github-action':
    case 'borales/actions-yarn':
    case 'github/codeql-action/autobuild':
    case 'ramsey/composer-install':
      return { what: name, targets: [cwd] };
    case 'pnpm/action-setup':
      return truthy('run_install') ? { what: `${name} (run_install)`, targets: [cwd] } : undefined;
    case 'ruby/setup-ruby':
      return truthy('bundler-cache') ? { what: `${name} (bundler-cache)`, targets: [dir('working-directory')] } : undefined;
    case 'actions/github-script': {
      const script = withText(step, 'script') ?? '';
      return /\brequire\(\s*[`'"](?:\.{1,2}\/|\$\{\s*process\.env\.GITHUB_WORKSPACE)|\bimport\(\s*[`'"](?:\.{1,2}\/|\$\{\s*process\.env\.GITHUB_WORKSPACE)/.test(script)
        ? { what: 'actions/github-script require() of a workspace file', targets: [''] }
        : undefined;
    }
    default:
      return undefined;
  }
}
