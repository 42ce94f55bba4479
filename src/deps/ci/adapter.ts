import type { Diagnostic } from '../../core/finding.js';
import type { Collected } from '../collect.js';
import { EMPTY_CI, type CiModel } from './model.js';

/**
 * The one module that reads the CI platform models for the deps checks (the audit pipeline's
 * internals move; only this file follows them).
 */
export function buildCiModel(_collected: Collected, _read: (abs: string) => { text: string } | { skipped: string }): { model: CiModel; diagnostics: Diagnostic[] } {
  return { model: { ...EMPTY_CI }, diagnostics: [] };
}
