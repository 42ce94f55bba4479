/** AI and ML APIs: OpenAI, Anthropic, Hugging Face, Groq, Replicate, Perplexity, xAI, LangSmith... */
import type { Detector, Validation } from '../types.js';
import { plausibleToken } from './decoys.js';
import { keyed, token, UUID } from './build.js';

const family = 'ai';

/**
 * OpenAI keys embed `T3BlbkFJ` (base64 of "OpenAI"); project-scoped ones are long base64url, or
 * 56 characters (`sk-proj-` + 20 + marker + 20) in the older form. A key without the marker is
 * only `sk-<kind>-` and length: medium confidence; with it, high.
 */
function openai(id: string, kind: string, title: string): Detector {
  return token({
    id,
    title,
    family,
    severity: 'critical',
    confidence: 'medium',
    keywords: [`sk-${kind}-`],
    pattern: `sk-${kind}-(?:[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}|[A-Za-z0-9_-]{80,250})`,
    after: '(?![A-Za-z0-9_-])',
    minEntropy: 4,
    validate: validateOpenaiMarker,
  });
}

function validateOpenaiMarker(secret: string): Validation {
  const p = plausibleToken(secret);
  if (p.status === 'invalid') return p;
  return secret.includes('T3BlbkFJ') ? { status: 'valid', note: 'carries the T3BlbkFJ ("OpenAI") marker' } : { status: 'unknown', note: 'no T3BlbkFJ marker' };
}

export const AI_DETECTORS: Detector[] = [
  token({
    id: 'openai-api-key',
    title: 'OpenAI API key (user key)',
    family,
    severity: 'critical',
    keywords: ['t3blbkfj'],
    pattern: 'sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}',
    minEntropy: 4,
  }),
  openai('openai-project-key', 'proj', 'OpenAI project API key'),
  openai('openai-service-account-key', 'svcacct', 'OpenAI service account API key'),
  openai('openai-admin-key', 'admin', 'OpenAI admin API key'),
  token({
    id: 'anthropic-api-key',
    title: 'Anthropic API key',
    family,
    severity: 'critical',
    keywords: ['sk-ant-api'],
    pattern: 'sk-ant-api[0-9]{2}-[A-Za-z0-9_-]{93}AA',
    after: '(?![A-Za-z0-9_-])',
    minEntropy: 4,
  }),
  token({
    id: 'anthropic-admin-key',
    title: 'Anthropic admin API key',
    family,
    severity: 'critical',
    keywords: ['sk-ant-admin'],
    pattern: 'sk-ant-admin[0-9]{2}-[A-Za-z0-9_-]{93}AA',
    after: '(?![A-Za-z0-9_-])',
    minEntropy: 4,
  }),
  token({ id: 'huggingface-access-token', title: 'Hugging Face access token', family, keywords: ['hf_'], pattern: 'hf_[A-Za-z]{34}', minEntropy: 3.5 }),
  token({
    id: 'huggingface-org-token',
    title: 'Hugging Face organization API token',
    family,
    keywords: ['api_org_'],
    pattern: 'api_org_[A-Za-z]{34}',
    minEntropy: 3.5,
  }),
  token({ id: 'groq-api-key', title: 'Groq API key', family, keywords: ['gsk_'], pattern: 'gsk_[A-Za-z0-9]{52}', minEntropy: 4 }),
  token({ id: 'replicate-api-token', title: 'Replicate API token', family, keywords: ['r8_'], pattern: 'r8_[A-Za-z0-9]{37}', minEntropy: 3.8 }),
  token({ id: 'perplexity-api-key', title: 'Perplexity API key', family, keywords: ['pplx-'], pattern: 'pplx-[A-Za-z0-9]{48}', minEntropy: 4 }),
  token({ id: 'xai-api-key', title: 'xAI (Grok) API key', family, keywords: ['xai-'], pattern: 'xai-[A-Za-z0-9]{80}', minEntropy: 4 }),
  token({
    id: 'langsmith-api-key',
    title: 'LangSmith API key',
    family,
    keywords: ['lsv2_'],
    pattern: 'lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}',
    minEntropy: 3,
  }),
  token({
    id: 'pinecone-api-key',
    title: 'Pinecone API key',
    family,
    keywords: ['pcsk_'],
    pattern: 'pcsk_[A-Za-z0-9]{4,8}_[A-Za-z0-9]{40,80}',
    minEntropy: 4,
  }),
  token({ id: 'openrouter-api-key', title: 'OpenRouter API key', family, keywords: ['sk-or-v1-'], pattern: 'sk-or-v1-[a-f0-9]{64}', minEntropy: 3.2 }),
  token({
    id: 'nvidia-api-key',
    title: 'NVIDIA NIM / NGC API key',
    family,
    keywords: ['nvapi-'],
    pattern: 'nvapi-[A-Za-z0-9_-]{64}',
    after: '(?![A-Za-z0-9_-])',
    minEntropy: 4,
  }),
  token({ id: 'langfuse-secret-key', title: 'Langfuse secret key', family, keywords: ['sk-lf-'], pattern: `sk-lf-${UUID}` }),
  token({ id: 'elevenlabs-api-key', title: 'ElevenLabs API key', family, keywords: ['sk_'], pattern: 'sk_[a-f0-9]{48}', minEntropy: 3.2 }),
  keyed({
    id: 'cohere-api-key',
    title: 'Cohere API key',
    family,
    keywords: ['cohere', 'co_api_key', 'co-api-key'],
    names: ['cohere[A-Za-z0-9_.-]{0,16}(?:key|token)', 'co[_.-]api[_.-]key'],
    value: '[A-Za-z0-9]{40}',
    minEntropy: 4,
  }),
  keyed({
    id: 'mistral-api-key',
    title: 'Mistral AI API key',
    family,
    keywords: ['mistral'],
    names: ['mistral[A-Za-z0-9_.-]{0,16}(?:key|token)'],
    value: '[A-Za-z0-9]{32}',
    minEntropy: 3.8,
  }),
  keyed({
    id: 'deepseek-api-key',
    title: 'DeepSeek API key',
    family,
    keywords: ['deepseek'],
    names: ['deepseek[A-Za-z0-9_.-]{0,16}(?:key|token)'],
    value: 'sk-[a-f0-9]{32}',
    minEntropy: 3.0,
  }),
  keyed({
    id: 'azure-openai-key',
    title: 'Azure OpenAI / Azure AI services key',
    family,
    keywords: ['openai', 'aoai', 'cognitive'],
    names: ['azure[_.-]?openai[A-Za-z0-9_.-]{0,16}key', 'aoai[A-Za-z0-9_.-]{0,8}key', 'cognitive[_.-]?services?[A-Za-z0-9_.-]{0,8}key'],
    value: '[a-f0-9]{32}',
    minEntropy: 3,
  }),
  keyed({
    id: 'stability-api-key',
    title: 'Stability AI API key',
    family,
    keywords: ['stability'],
    names: ['stability[A-Za-z0-9_.-]{0,16}key'],
    value: 'sk-[A-Za-z0-9]{48}',
    minEntropy: 4,
  }),
  keyed({
    id: 'wandb-api-key',
    title: 'Weights & Biases API key',
    family,
    keywords: ['wandb'],
    names: ['wandb[A-Za-z0-9_.-]{0,16}key'],
    value: '[a-f0-9]{40}',
    minEntropy: 3,
  }),
  keyed({
    id: 'together-api-key',
    title: 'Together AI API key',
    family,
    keywords: ['together'],
    names: ['together[_.-]?(?:ai[_.-]|ai)?api[_.-]?key'],
    value: '[a-f0-9]{64}',
    minEntropy: 3.2,
  }),
  keyed({
    id: 'assemblyai-api-key',
    title: 'AssemblyAI API key',
    family,
    keywords: ['assemblyai', 'assembly_ai', 'assembly-ai'],
    names: ['assembly[_.-]?ai[A-Za-z0-9_.-]{0,16}key'],
    value: '[a-f0-9]{32}',
    minEntropy: 3,
  }),
  keyed({
    id: 'deepgram-api-key',
    title: 'Deepgram API key',
    family,
    keywords: ['deepgram'],
    names: ['deepgram[A-Za-z0-9_.-]{0,16}key'],
    value: '[a-f0-9]{40}',
    minEntropy: 3,
  }),
  keyed({
    id: 'clarifai-pat',
    title: 'Clarifai personal access token',
    family,
    keywords: ['clarifai'],
    names: ['clarifai[A-Za-z0-9_.-]{0,16}(?:pat|key|token)'],
    value: '[a-f0-9]{32}',
    minEntropy: 3,
  }),
];
