/** Every built-in detector, provider families first; ids are unique (see index.test.ts). */
import type { Detector } from '../types.js';
import { AI_DETECTORS } from './ai.js';
import { CHAT_DETECTORS } from './chat.js';
import { CI_DETECTORS } from './ci.js';
import { CLOUD_DETECTORS } from './cloud.js';
import { CRYPTO_DETECTORS } from './crypto.js';
import { DATABASE_DETECTORS } from './database.js';
import { GENERIC_DETECTORS } from './generic.js';
import { MESSAGING_DETECTORS } from './messaging.js';
import { OBSERVABILITY_DETECTORS } from './observability.js';
import { PAYMENT_DETECTORS } from './payment.js';
import { REGISTRY_DETECTORS } from './registry.js';
import { SAAS_DETECTORS } from './saas.js';
import { VCS_DETECTORS } from './vcs.js';

export const DETECTOR_FAMILIES: Readonly<Record<string, readonly Detector[]>> = {
  vcs: VCS_DETECTORS,
  cloud: CLOUD_DETECTORS,
  ci: CI_DETECTORS,
  registry: REGISTRY_DETECTORS,
  payment: PAYMENT_DETECTORS,
  chat: CHAT_DETECTORS,
  messaging: MESSAGING_DETECTORS,
  ai: AI_DETECTORS,
  database: DATABASE_DETECTORS,
  observability: OBSERVABILITY_DETECTORS,
  saas: SAAS_DETECTORS,
  crypto: CRYPTO_DETECTORS,
  generic: GENERIC_DETECTORS,
};

export const DETECTORS: Detector[] = Object.values(DETECTOR_FAMILIES).flat();

export function detectorById(id: string): Detector | undefined {
  return DETECTORS.find((d) => d.id === id);
}
