/** Every detector, one per alert id (the order is the order alerts are recorded for one event). */
import type { Detector } from '../detect.js';
import { actionsPolicyWeakened } from './actions-policy-weakened/detector.js';
import { compromisedActionUsed } from './compromised-action-used/detector.js';
import { credentialAdded } from './credential-added/detector.js';
import { environmentProtectionRemoved } from './environment-protection-removed/detector.js';
import { protectionWeakened } from './protection-weakened/detector.js';
import { pushProtectionBypass } from './push-protection-bypass/detector.js';
import { repoExposure } from './repo-exposure/detector.js';
import { runnerRegistered } from './runner-registered/detector.js';
import { secretInLog } from './secret-in-log/detector.js';
import { unusualActor } from './unusual-actor/detector.js';
import { workflowPushed } from './workflow-pushed/detector.js';

export const DETECTORS: readonly Detector[] = [
  workflowPushed,
  protectionWeakened,
  environmentProtectionRemoved,
  runnerRegistered,
  actionsPolicyWeakened,
  credentialAdded,
  repoExposure,
  secretInLog,
  compromisedActionUsed,
  unusualActor,
  pushProtectionBypass,
];
