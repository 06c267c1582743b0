/** What a probe of Ollama found. */
export interface OllamaProbe {
  reachable: boolean;
  /** Names of the pulled models (`deepseek-r1:8b`, ...); empty when unreachable. */
  models: string[];
  /** Why Ollama counts as unreachable. */
  error?: string;
}

export interface OllamaProbeOptions {
  /** @default 1500 */
  timeoutMs?: number;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
}

/** Asks Ollama which models it has (`GET /api/tags`), giving up quickly when nothing answers. */
export async function probeOllama(baseUrl: string, options: OllamaProbeOptions = {}): Promise<OllamaProbe> {
  const timeoutMs = options.timeoutMs ?? 1500;
  const doFetch = options.fetch ?? globalThis.fetch;
  const url = `${baseUrl.replace(/\/+$/, '')}/api/tags`;
  try {
    const response = await doFetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) {
      await response.body?.cancel();
      return unreachable(`GET ${url} answered HTTP ${response.status}`);
    }
    const body = (await response.json()) as { models?: unknown };
    if (!Array.isArray(body?.models)) return unreachable(`GET ${url} did not answer like Ollama`);
    const models = body.models
      .map((m: { name?: unknown; model?: unknown }) => m?.name ?? m?.model)
      .filter((name): name is string => typeof name === 'string');
    return { reachable: true, models };
  } catch (error) {
    const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
    if (e?.name === 'TimeoutError') return unreachable(`no answer from ${baseUrl} within ${timeoutMs} ms`);
    const detail = e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(error);
    return unreachable(`cannot reach Ollama at ${baseUrl}: ${detail}`);
  }
}

const unreachable = (error: string): OllamaProbe => ({ reachable: false, models: [], error });
