import type { Diagnostic, Finding } from '../core/finding.js';
import { syntaxErrorFinding } from '../audits/core/syntax-error/rule.js';
import type { CollectedFile } from './collect.js';
import { formatOf } from './lockfiles/index.js';
import { parseRequirements } from './lockfiles/requirements.js';
import { LockfileError, type Lockfile } from './model.js';

/** Lockfiles are generated and can be large, but not this large. */
export const MAX_LOCKFILE_BYTES = 64 * 1024 * 1024;

export interface LoadedLockfiles {
  lockfiles: Lockfile[];
  findings: Finding[];
  diagnostics: Diagnostic[];
}

/**
 * Parses each lockfile on its own: a malformed one becomes a `syntax-error` finding and an error
 * with its position, and the others are still scanned. `read` returns the text or a reason it
 * could not be read.
 */
export function loadLockfiles(files: CollectedFile[], read: (f: CollectedFile) => { text: string } | { skipped: string }): LoadedLockfiles {
  const out: LoadedLockfiles = { lockfiles: [], findings: [], diagnostics: [] };
  const goMods = new Set(files.filter((f) => f.repoPath.endsWith('go.mod')).map((f) => f.repoPath.slice(0, -'go.mod'.length)));
  for (const f of files) {
    const info = formatOf(f.repoPath)!;
    const got = read(f);
    if ('skipped' in got) {
      out.diagnostics.push({ level: 'error', file: f.path, message: `${got.skipped}; its dependencies were not checked` });
      continue;
    }
    try {
      let packages = info.parse(got.text);
      // go.sum lists versions the build never uses; go.mod beside it is the truth (see parseGoSum).
      if (info.format === 'go.sum' && goMods.has(f.repoPath.slice(0, -'go.sum'.length))) packages = [];
      const lockfile: Lockfile = { path: f.path, repoPath: f.repoPath, format: info.format, ecosystem: info.ecosystem, packages };
      if (info.format === 'yarn.lock') lockfile.variant = /^__metadata:/m.test(got.text) ? 'berry' : 'classic';
      if (info.format === 'requirements.txt') {
        const r = parseRequirements(got.text);
        lockfile.requirements = { unpinned: r.unpinned.map((u) => u.name), hashed: r.hashed };
      }
      out.lockfiles.push(lockfile);
    } catch (e) {
      if (!(e instanceof LockfileError)) throw e;
      const message = `${info.format}: ${e.message}; its dependencies were not checked`;
      out.diagnostics.push({ level: 'error', file: f.path, line: e.line, column: e.column, message });
      out.findings.push(syntaxErrorFinding(message, { file: f.path, startLine: e.line, startColumn: e.column, endLine: e.line, endColumn: e.column + 1 }));
    }
  }
  return out;
}
