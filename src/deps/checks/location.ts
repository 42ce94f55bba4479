import type { RuleMeta } from '../../core/rule.js';
import type { Location } from '../../core/finding.js';
import type { Lockfile, Package } from '../model.js';

/** The package's entry in its lockfile, as a finding location. */
export function packageLocation(lockfile: Lockfile, pkg: Package): Location {
  return { file: lockfile.path, startLine: pkg.line, startColumn: pkg.column, endLine: pkg.line, endColumn: pkg.column + 1 };
}


/** A deps check's metadata: every one is offline-capable, not auto-fixable, and documented beside it. */
export function depsMeta(m: Pick<RuleMeta, 'id' | 'title' | 'severity' | 'confidence' | 'owasp' | 'cwe'>, docs: URL): RuleMeta {
  return { ...m, platform: 'deps', fixable: false, online: false, docs };
}
