import type { Dialect } from '../../shell/script.js';
import type { Job, Step, Workflow } from './model.js';

/** The language of a run: step, from `shell:` (step, then job and workflow defaults). */
export function dialectOf(step: Step, job?: Job, workflow?: Workflow): Dialect {
  const shell = (step.shell ?? job?.defaultsShell ?? workflow?.defaultsShell ?? 'bash').trim().toLowerCase();
  const exe = shell.split(/\s+/)[0]!.replace(/^.*[\\/]/, '');
  if (/^(?:ba|z|da|k|fi)?sh$/.test(exe)) return 'bash';
  if (exe === 'pwsh' || exe === 'powershell') return 'pwsh';
  if (exe === 'cmd') return 'cmd';
  return 'other';
}
