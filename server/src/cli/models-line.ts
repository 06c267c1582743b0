import type { ModelStatus } from '../runtime/create-runtime';

/** Which models the process's calls go to: Ollama (with or without the offline model as fallback), or the offline model alone. */
export function modelsLine(status: ModelStatus): string {
  if (status.offlineOnly) {
    return `models: the offline model only (${status.ollamaError ?? 'no Ollama'}); answers are labelled [offline model]`;
  }
  const ollama = `models: Ollama at ${status.ollamaBaseUrl} (${status.ollamaModels.length} models)`;
  return status.offlineFallback
    ? `${ollama}, offline model as fallback`
    : `${ollama}, no fallback (REVO_OFFLINE_FALLBACK=0): a call no model answers fails`;
}
