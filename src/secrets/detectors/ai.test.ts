import { describe, expect, it } from 'vitest';
import { detectSecrets } from '../detect.js';
import { AI_DETECTORS } from './ai.js';
import { ALNUM, B64URL, checkCase, coverageGaps, Fake, HEX, LETTERS, LOWER_ALNUM, Rng, type DetectorCase } from './fake.js';

const f = new Fake(new Rng(8008));
const env = (key: string, secret: string): [string, string] => [`${key}=${secret}`, secret];
const line = (secret: string, render: (s: string) => string): [string, string] => [render(secret), secret];
const oa = (kind: string) => `sk-${kind}-${f.str(B64URL, 74)}T3BlbkFJ${f.str(B64URL, 74)}`;

const CASES: DetectorCase[] = [
  { id: 'openai-api-key', pos: [env('OPENAI_API_KEY', `sk-${f.str(ALNUM, 20)}T3BlbkFJ${f.str(ALNUM, 20)}`)], neg: [`sk-${f.str(ALNUM, 48)}`] },
  {
    id: 'openai-project-key',
    pos: [env('OPENAI_API_KEY', oa('proj')), line(oa('proj'), (s) => `client = OpenAI(api_key="${s}")`), env('OPENAI_API_KEY', `sk-proj-${f.str(ALNUM, 20)}T3BlbkFJ${f.str(ALNUM, 20)}`)],
    neg: ['OPENAI_API_KEY=sk-proj-your-key-here', `sk-proj-${f.str(ALNUM, 30)}`, `sk-proj-${f.str(ALNUM, 20)}T3BlbkFJ${f.str(ALNUM, 19)}`],
  },
  { id: 'openai-service-account-key', pos: [env('OPENAI_API_KEY', oa('svcacct'))], neg: [`sk-svcacct-${f.str(ALNUM, 40)}`] },
  { id: 'openai-admin-key', pos: [env('OPENAI_ADMIN_KEY', oa('admin'))], neg: [`sk-admin-${f.str(ALNUM, 40)}`] },
  { id: 'anthropic-api-key', pos: [env('ANTHROPIC_API_KEY', `sk-ant-api03-${f.str(B64URL, 93)}AA`)], neg: [`sk-ant-api03-${f.str(B64URL, 40)}AA`] },
  { id: 'anthropic-admin-key', pos: [env('ANTHROPIC_ADMIN_KEY', `sk-ant-admin01-${f.str(B64URL, 93)}AA`)], neg: [`sk-ant-admin01-${f.str(B64URL, 93)}`] },
  { id: 'huggingface-access-token', pos: [env('HF_TOKEN', `hf_${f.str(LETTERS, 34)}`)], neg: [`hf_${f.str(LETTERS, 20)}`, `hf_${'a'.repeat(34)}`] },
  { id: 'huggingface-org-token', pos: [env('HF_ORG_TOKEN', `api_org_${f.str(LETTERS, 34)}`)], neg: [`api_org_${f.str(LETTERS, 10)}`] },
  { id: 'groq-api-key', pos: [env('GROQ_API_KEY', `gsk_${f.str(ALNUM, 52)}`)], neg: [`gsk_${f.str(ALNUM, 30)}`] },
  { id: 'replicate-api-token', pos: [env('REPLICATE_API_TOKEN', `r8_${f.str(ALNUM, 37)}`)], neg: [`r8_${f.str(ALNUM, 20)}`] },
  { id: 'perplexity-api-key', pos: [env('PERPLEXITY_API_KEY', `pplx-${f.str(ALNUM, 48)}`)], neg: [`pplx-${f.str(ALNUM, 20)}`] },
  { id: 'xai-api-key', pos: [env('XAI_API_KEY', `xai-${f.str(ALNUM, 80)}`)], neg: [`xai-${f.str(ALNUM, 30)}`] },
  { id: 'langsmith-api-key', pos: [env('LANGSMITH_API_KEY', `lsv2_pt_${f.str(HEX, 32)}_${f.str(HEX, 10)}`)], neg: [`lsv2_pt_${f.str(HEX, 32)}`] },
  { id: 'pinecone-api-key', pos: [env('PINECONE_API_KEY', `pcsk_${f.str(ALNUM, 6)}_${f.str(ALNUM, 64)}`)], neg: [`pcsk_${f.str(ALNUM, 6)}_${f.str(ALNUM, 20)}`] },
  { id: 'openrouter-api-key', pos: [env('OPENROUTER_API_KEY', `sk-or-v1-${f.str(HEX, 64)}`)], neg: [`sk-or-v1-${f.str(HEX, 32)}`] },
  { id: 'nvidia-api-key', pos: [env('NVIDIA_API_KEY', `nvapi-${f.str(B64URL, 64)}`)], neg: [`nvapi-${f.str(B64URL, 30)}`] },
  { id: 'langfuse-secret-key', pos: [env('LANGFUSE_SECRET_KEY', `sk-lf-${f.uuid()}`)], neg: [`pk-lf-${f.uuid()}`] },
  { id: 'elevenlabs-api-key', pos: [env('ELEVENLABS_API_KEY', `sk_${f.str(HEX, 48)}`)], neg: [`sk_${f.str(HEX, 30)}`] },
  { id: 'cohere-api-key', pos: [env('COHERE_API_KEY', f.str(ALNUM, 40)), env('CO_API_KEY', f.str(ALNUM, 40))], neg: ['COHERE_API_KEY=<your cohere key>'] },
  { id: 'mistral-api-key', pos: [env('MISTRAL_API_KEY', f.str(ALNUM, 32))], neg: [`MISTRAL_MODEL=mistral-large-latest`] },
  { id: 'deepseek-api-key', pos: [env('DEEPSEEK_API_KEY', `sk-${f.str(HEX, 32)}`)], neg: [`sk-${f.str(HEX, 32)}`] },
  { id: 'azure-openai-key', pos: [env('AZURE_OPENAI_API_KEY', f.str(HEX, 32))], neg: [`AZURE_OPENAI_ENDPOINT=https://acme.openai.azure.com/`] },
  { id: 'stability-api-key', pos: [env('STABILITY_API_KEY', `sk-${f.str(ALNUM, 48)}`)], neg: [`STABILITY_API_KEY=sk-${f.str(ALNUM, 20)}`] },
  { id: 'wandb-api-key', pos: [env('WANDB_API_KEY', f.str(HEX, 40))], neg: [`WANDB_PROJECT=${f.str(LOWER_ALNUM, 12)}`] },
  { id: 'together-api-key', pos: [env('TOGETHER_API_KEY', f.str(HEX, 64))], neg: [`TOGETHER_API_KEY=${f.str(HEX, 32)}`] },
  { id: 'assemblyai-api-key', pos: [env('ASSEMBLYAI_API_KEY', f.str(HEX, 32))], neg: [`ASSEMBLYAI_API_KEY=${f.str(HEX, 16)}`] },
  { id: 'deepgram-api-key', pos: [env('DEEPGRAM_API_KEY', f.str(HEX, 40))], neg: [`DEEPGRAM_PROJECT_ID=${f.uuid()}`] },
  { id: 'clarifai-pat', pos: [env('CLARIFAI_PAT', f.str(HEX, 32))], neg: [`CLARIFAI_USER_ID=acme`] },
];

describe('OpenAI project key confidence', () => {
  it('is high with the T3BlbkFJ marker (56-character and long forms) and medium without it', () => {
    const short = `sk-proj-${f.str(ALNUM, 20)}T3BlbkFJ${f.str(ALNUM, 20)}`;
    const long = oa('proj');
    const bare = `sk-proj-${f.str(B64URL, 156)}`;
    expect(short).toHaveLength(56);
    expect([short, long, bare].map((k) => detectSecrets(`OPENAI_API_KEY=${k}`).map((m) => [m.detectorId, m.confidence, m.validation.status]))).toEqual([
      [['openai-project-key', 'high', 'valid']],
      [['openai-project-key', 'high', 'valid']],
      [['openai-project-key', 'medium', 'unknown']],
    ]);
  });
});

describe('ai detectors', () => {
  for (const c of CASES) it(c.id, () => expect(checkCase(c, detectSecrets)).toEqual([]));
  it('coverage: every detector has positive and negative examples', () => expect(coverageGaps(AI_DETECTORS, CASES)).toEqual([]));
});
