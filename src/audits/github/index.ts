import type { Rule } from '../../core/rule.js';
import type { GithubModel } from '../../platforms/github/model.js';
import { rule as templateInjection } from './template-injection/rule.js';

/** Every GitHub Actions audit, in documentation order. */
export const GITHUB_RULES: readonly Rule<GithubModel>[] = [templateInjection];
